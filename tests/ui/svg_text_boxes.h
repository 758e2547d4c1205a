// The text of an SVG figure as QSvgGenerator writes it, each piece with the box it covers on the page: from its
// position (x, y: the baseline's start), font family and size and the transform of the groups around it
// (rotated column labels). What figure tests check labels against: present, in the chosen font, not overlapping.
//
//   for (const SvgText& t : svgTexts(svgBytes)) if (t.text == "cat") ... t.box ... t.rotated ...
#pragma once

#include <QByteArray>
#include <QRectF>
#include <QString>
#include <QTransform>
#include <vector>

namespace attnviz::test {

struct SvgText {
  QString text;
  QString family;
  double pixelSize = 0;
  QRectF box;            // page coordinates: advance x (ascent + descent), through the transform
  bool rotated = false;  // drawn at 90° (reading upwards or downwards)
};

std::vector<SvgText> svgTexts(const QByteArray& svg);
// Whether two boxes share more than `tolerance` px in both directions.
bool overlap(const QRectF& a, const QRectF& b, double tolerance = 0.25);

}  // namespace attnviz::test
