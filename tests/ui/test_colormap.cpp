// Colour maps: the anchors are matplotlib's values, interpolation stays within 1/255 of the full table.
#include <QtTest>

#include "ui/maps/colormap.h"

using attnviz::ui::Colormap;
using attnviz::ui::ColormapId;

namespace {

struct Rgbf {
  double r, g, b;
};

void expectNear(QRgb got, Rgbf want, double tolerance) {
  QVERIFY2(std::abs(qRed(got) / 255.0 - want.r) <= tolerance, qPrintable(QString::number(qRed(got))));
  QVERIFY2(std::abs(qGreen(got) / 255.0 - want.g) <= tolerance, qPrintable(QString::number(qGreen(got))));
  QVERIFY2(std::abs(qBlue(got) / 255.0 - want.b) <= tolerance, qPrintable(QString::number(qBlue(got))));
}

constexpr double kByte = 1.0 / 255.0;

}  // namespace

class TestColormap : public QObject {
  Q_OBJECT

 private slots:
  void viridisMatchesMatplotlib_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<double>("r");
    QTest::addColumn<double>("g");
    QTest::addColumn<double>("b");
    // Entries of matplotlib's _viridis_data, including ones between the embedded anchors.
    QTest::newRow("0") << 0 << 0.267004 << 0.004874 << 0.329415;
    QTest::newRow("4") << 4 << 0.272594 << 0.025563 << 0.353093;
    QTest::newRow("128") << 128 << 0.127568 << 0.566949 << 0.550556;
    QTest::newRow("140") << 140 << 0.119423 << 0.611141 << 0.538982;
    QTest::newRow("200") << 200 << 0.440137 << 0.811138 << 0.340967;
    QTest::newRow("252") << 252 << 0.964894 << 0.902323 << 0.123941;
    QTest::newRow("255") << 255 << 0.993248 << 0.906157 << 0.143936;
  }
  void viridisMatchesMatplotlib() {
    QFETCH(int, index);
    QFETCH(double, r);
    QFETCH(double, g);
    QFETCH(double, b);
    expectNear(Colormap::byId(ColormapId::Viridis).rgb(index / 255.0), {r, g, b}, 2.0 * kByte);
  }

  void magmaMatchesMatplotlib_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<double>("r");
    QTest::addColumn<double>("g");
    QTest::addColumn<double>("b");
    QTest::newRow("0") << 0 << 0.001462 << 0.000466 << 0.013866;
    QTest::newRow("4") << 4 << 0.005950 << 0.004843 << 0.037130;
    QTest::newRow("128") << 128 << 0.716387 << 0.214982 << 0.475290;
    QTest::newRow("219") << 219 << 0.997341 << 0.733545 << 0.505167;
    QTest::newRow("255") << 255 << 0.987053 << 0.991438 << 0.749504;
  }
  void magmaMatchesMatplotlib() {
    QFETCH(int, index);
    QFETCH(double, r);
    QFETCH(double, g);
    QFETCH(double, b);
    expectNear(Colormap::byId(ColormapId::Magma).rgb(index / 255.0), {r, g, b}, 2.0 * kByte);
  }

  void greysRunWhiteToBlack() {
    const Colormap& g = Colormap::byId(ColormapId::Greys);
    QCOMPARE(g.rgb(0.0), qRgb(255, 255, 255));
    QCOMPARE(g.rgb(1.0), qRgb(0, 0, 0));
    QCOMPARE(g.textColorOn(1.0), QColor(Qt::white));
    QCOMPARE(g.textColorOn(0.0), QColor(Qt::black));
  }

  void clampsAndHandlesNaN() {
    const Colormap& v = Colormap::byId(ColormapId::Viridis);
    QCOMPARE(v.rgb(-3.0), v.rgb(0.0));
    QCOMPARE(v.rgb(7.0), v.rgb(1.0));
    QCOMPARE(v.rgb(std::nan("")), qRgb(128, 128, 128));
    QCOMPARE(v.table(256).size(), 256);
    QCOMPARE(v.table(256).front(), v.rgb(0.0));
  }

  // Perceptually ordered: lightness (luma) rises monotonically along viridis and magma.
  void lightnessIsMonotonic() {
    for (ColormapId id : {ColormapId::Viridis, ColormapId::Magma}) {
      double last = -1;
      for (int i = 0; i <= 64; ++i) {
        const QRgb c = Colormap::byId(id).rgb(i / 64.0);
        const double luma = 0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c);
        QVERIFY2(luma >= last - 0.5, qPrintable(QStringLiteral("%1 at %2").arg(Colormap::byId(id).name()).arg(i)));
        last = luma;
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestColormap)
#include "test_colormap.moc"
