#include "tests/ui/svg_text_boxes.h"

#include <QFont>
#include <QFontMetricsF>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <cmath>

namespace attnviz::test {
namespace {

// "matrix(a,b,c,d,e,f)" (QSvgGenerator writes every group's transform so); identity otherwise.
QTransform parseTransform(const QString& text) {
  static const QRegularExpression matrix(QStringLiteral("matrix\\(([^)]*)\\)"));
  const auto m = matrix.match(text);
  if (!m.hasMatch()) return {};
  const QStringList v = m.captured(1).split(QRegularExpression(QStringLiteral("[ ,]+")), Qt::SkipEmptyParts);
  if (v.size() != 6) return {};
  return QTransform(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble(), v[4].toDouble(), v[5].toDouble());
}

double sizeOf(QString text) {
  text.remove(QStringLiteral("px")).remove(QStringLiteral("pt"));
  return text.toDouble();
}

}  // namespace

std::vector<SvgText> svgTexts(const QByteArray& svg) {
  std::vector<SvgText> out;
  QXmlStreamReader xml(svg);
  struct Group {
    QTransform transform;
    QString family;
    double size = 0;
  };
  std::vector<Group> stack{Group{}};
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement()) {
      const auto a = xml.attributes();
      Group g = stack.back();
      if (a.hasAttribute(QStringLiteral("transform"))) g.transform = parseTransform(a.value(QStringLiteral("transform")).toString()) * g.transform;
      if (a.hasAttribute(QStringLiteral("font-family"))) g.family = a.value(QStringLiteral("font-family")).toString();
      if (a.hasAttribute(QStringLiteral("font-size"))) g.size = sizeOf(a.value(QStringLiteral("font-size")).toString());
      if (xml.name() == QLatin1String("text")) {
        const double x = a.value(QStringLiteral("x")).toDouble();
        const double y = a.value(QStringLiteral("y")).toDouble();
        SvgText t;
        t.family = g.family;
        t.family.remove(QLatin1Char('"')).remove(QLatin1Char('\''));
        t.pixelSize = g.size;
        t.text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
        QFont f(t.family);
        f.setPixelSize(std::max(1, static_cast<int>(std::lround(t.pixelSize))));
        const QFontMetricsF fm(f);
        const QRectF local(x, y - fm.ascent(), fm.horizontalAdvance(t.text), fm.ascent() + fm.descent());
        t.box = g.transform.mapRect(local);
        t.rotated = std::abs(g.transform.m12()) > 0.5;
        out.push_back(t);
        continue;  // readElementText consumed the end element
      }
      stack.push_back(g);
    } else if (xml.isEndElement() && stack.size() > 1) {
      stack.pop_back();
    }
  }
  return out;
}

bool overlap(const QRectF& a, const QRectF& b, double tolerance) {
  const QRectF i = a.intersected(b);
  return i.width() > tolerance && i.height() > tolerance;
}

}  // namespace attnviz::test
