// Figures for papers: the figure style (title, font, colour map, colour bar label, token labels, dark
// background) as the heatmap painter draws it, and the export dialog (units, presets remembered, the last
// settings used, a live preview, controls a panel cannot honour disabled).
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QPainter>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/export/export_dialog.h"
#include "ui/export/figure_style.h"
#include "ui/maps/heatmap_painter.h"
#include "ui/maps/heatmap_view.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

HeatmapData sampleMap() {
  HeatmapData d;
  d.rows = 3;
  d.cols = 3;
  d.values = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f};
  d.rowLabels = {QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("sat")};
  d.colLabels = d.rowLabels;
  d.title = QStringLiteral("Screen title");
  return d;
}

QImage render(const FigureStyle& figure, QSizeF size = QSizeF(300, 240)) {
  QImage image(size.toSize(), QImage::Format_ARGB32);
  image.fill(Qt::magenta);
  QPainter p(&image);
  paintStyledHeatmap(p, QRectF(QPointF(), size), sampleMap(), HeatmapStyle{}, figure);
  return image;
}

QByteArray svgOf(const FigureStyle& figure) {
  FigureOptions o{FigureFormat::Svg, QSizeF(300, 240), 96, {}};
  QString error;
  return figureBytes(o, [&](QPainter& p, const QRectF& r) { paintStyledHeatmap(p, r, sampleMap(), HeatmapStyle{}, figure); }, &error);
}

}  // namespace

class TestFigureStyle : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void styleJsonRoundTripAndHostileValues() {
    FigureStyle s;
    s.title = QStringLiteral("Figure 3");
    s.colormap = ColormapId::Greys;
    s.colorBarLabel = QStringLiteral("attention");
    s.showTokenLabels = false;
    s.dark = true;
    s.fontFamily = QStringLiteral("DejaVu Serif");
    s.fontPoints = 7;
    QVERIFY(FigureStyle::fromJson(s.toJson()) == s);
    const FigureStyle bad = FigureStyle::fromJson(QJsonObject{{"fontPoints", 1e9}, {"dark", "yes"}, {"colormap", "rainbow"}});
    QCOMPARE(bad.fontPoints, 48.0);
    QCOMPARE(bad.dark, false);
    QVERIFY(!bad.colormap);
    QCOMPARE(FigureStyle{}.fontPixelSize(15), 15);  // "as on screen": the panel's own size
    FigureStyle nine;
    nine.fontPoints = 9;
    QCOMPARE(nine.fontPixelSize(15), 12);  // 9 pt at 96 dpi
  }

  void heatmapHonoursTheStyle() {
    const QImage plain = render(FigureStyle{});
    QCOMPARE(plain.pixelColor(2, 2), QColor(Qt::white));
    FigureStyle dark;
    dark.dark = true;
    QVERIFY(qGray(render(dark).pixel(2, 2)) < 50);
    FigureStyle noLabels;
    noLabels.showTokenLabels = false;
    QVERIFY(svgOf(FigureStyle{}).contains(">cat<"));
    QVERIFY2(!svgOf(noLabels).contains(">cat<"), "token labels are still drawn");
    FigureStyle greys;
    greys.colormap = ColormapId::Greys;
    const QImage g = render(greys);
    const HeatmapGeometry geo = HeatmapPainter::layout(QRectF(0, 0, 300, 240), sampleMap(), [] {
      HeatmapStyle hs;
      FigureStyle{}.applyTo(hs);
      return hs;
    }());
    const QColor cell = g.pixelColor(HeatmapPainter::cellRect(geo, 1, 1).center().toPoint());
    QCOMPARE(cell.red(), cell.green());
    QCOMPARE(cell.green(), cell.blue());
    FigureStyle titled;
    titled.title = QStringLiteral("Figure 3: coreference head");
    titled.colorBarLabel = QStringLiteral("attention weight");
    const QByteArray svg = svgOf(titled);
    QVERIFY(svg.contains("Figure 3: coreference head"));
    QVERIFY(!svg.contains("Screen title"));
    QVERIFY(svg.contains("attention weight"));
    FigureStyle untitled;
    untitled.showTitle = false;
    QVERIFY(!svgOf(untitled).contains("Screen title"));
    FigureStyle serif;
    serif.fontFamily = QStringLiteral("DejaVu Serif");
    QVERIFY(svgOf(serif).contains("DejaVu Serif"));
  }

  void dialogConvertsUnitsAndAppliesPresets() {
    ExportDialog d(QStringList{QStringLiteral("Attention")}, QSizeF(480, 360), QStringLiteral("/tmp/fig.pdf"));
    QCOMPARE(d.options().size, QSizeF(480, 360));
    d.setUnit(ExportDialog::Unit::Centimetres);
    d.setLogicalSize(QSizeF(480, 360));
    auto* width = d.findChildren<QDoubleSpinBox*>().value(0);
    QVERIFY(width);
    QCOMPARE(width->suffix(), QStringLiteral(" cm"));
    QVERIFY(std::abs(width->value() - 12.7) < 0.01);  // 480 px = 5 in = 12.7 cm
    QVERIFY(std::abs(d.options().size.width() - 480) < 0.5);
    QVERIFY(d.applyPreset(QStringLiteral("Paper, one column (8.5 cm)")));
    QVERIFY(std::abs(d.options().size.width() - 8.5 / 2.54 * 96) < 0.5);
    QVERIFY(std::abs(d.options().size.height() - 0.75 * 8.5 / 2.54 * 96) < 0.5);  // the figure's proportions
    QCOMPARE(d.options().dpi, 600.0);
    QCOMPARE(d.style().fontPoints, 7.0);
    QVERIFY(!d.applyPreset(QStringLiteral("no such preset")));
  }

  void userPresetsAndTheLastSettingsAreRemembered() {
    {
      ExportDialog d(QStringList{QStringLiteral("Attention")}, QSizeF(400, 300), QStringLiteral("/tmp/a.png"));
      d.findChild<QComboBox*>()->setCurrentIndex(0);
      FigureStyle s;
      d.applyPreset(QStringLiteral("Slide, dark (25.4 cm)"));
      QVERIFY(d.style().dark);
      d.savePreset(QStringLiteral("My talk"));
    }
    ExportDialog again(QStringList{QStringLiteral("Attention")}, QSizeF(400, 300), QStringLiteral("/tmp/b.png"));
    QVERIFY(again.presetNames().contains(QStringLiteral("My talk")));
    QVERIFY(!again.style().dark);
    QVERIFY(again.applyPreset(QStringLiteral("My talk")));
    QVERIFY(again.style().dark);
    QCOMPARE(again.style().fontPoints, 14.0);
    QVERIFY(std::abs(again.options().size.width() - 25.4 / 2.54 * 96) < 0.5);
    const QTemporaryDir dir;
    again.setPath(dir.filePath(QStringLiteral("b.png")));
    again.accept();  // remembered as the last settings
    ExportDialog third(QStringList{QStringLiteral("Attention")}, QSizeF(400, 300), QStringLiteral("/tmp/c.png"));
    QVERIFY(third.style().dark);
    QVERIFY(std::abs(third.options().size.width() - 400) < 0.1);  // the size is this figure's own (shown in cm)
    QVERIFY(std::abs(third.options().size.height() - 300) < 0.1);
  }

  // In the window: a live preview of the current panel, and controls it cannot honour disabled.
  void previewAndFeaturesFollowThePanel() {
    MainWindow w;
    w.workspace()->setDebounceMs(0);
    w.workspace()->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    w.workspace()->setInputText(QStringLiteral("the cat sat on the mat"));
    QTRY_VERIFY(w.workspace()->trace());
    std::vector<const Panel*> panels(w.panelArea()->panels().begin(), w.panelArea()->panels().end());
    ExportDialog d(panels, 0, QStringLiteral("/tmp/x.png"));
    QCOMPARE(panels[0]->objectName(), QStringLiteral("heatmap"));
    QTRY_VERIFY(!d.preview()->pixmap().isNull());
    const QImage before = d.preview()->pixmap().toImage();
    auto* background = d.findChildren<QComboBox*>().last();
    QVERIFY(background->isEnabled());
    const bool dark = background->currentIndex() == 0;  // the other one (the last settings may have been dark)
    background->setCurrentIndex(dark ? 1 : 0);
    QTRY_VERIFY(d.preview()->pixmap().toImage() != before);
    QCOMPARE(qGray(d.preview()->pixmap().toImage().pixel(3, 3)) < 60, dark);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR"))
      d.grab().save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + QStringLiteral("/export-dialog.png"));
    d.setPanelIndex(1);  // the head-entropy chart: no colour map, but font and dark background
    QCOMPARE(panels[1]->objectName(), QStringLiteral("headEntropy"));
    QVERIFY(background->isEnabled());
    auto* colormap = d.findChild<QComboBox*>(QStringLiteral("figureColormap"));
    QVERIFY(colormap);
    QVERIFY(!colormap->isEnabled());
    QVERIFY(colormap->toolTip().contains(QLatin1String("does not offer")));
  }

  // On screen, maps follow the palette: a dark desktop theme gives a dark map with light labels.
  void screenMapsFollowTheDarkPalette() {
    HeatmapView view;
    view.resize(300, 240);
    view.setData(sampleMap());
    QCOMPARE(view.grab().toImage().pixelColor(2, 2), view.palette().color(QPalette::Base));
    QPalette dark = view.palette();
    dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    view.setPalette(dark);
    QCOMPARE(view.heatmapStyle().foreground, QColor(0xe0, 0xe0, 0xe0));
    QCOMPARE(view.grab().toImage().pixelColor(2, 2), QColor(0x20, 0x20, 0x20));
    view.setStyle(HeatmapStyle{});  // a panel restyling the map keeps the theme's colours
    QCOMPARE(view.heatmapStyle().background, QColor(0x20, 0x20, 0x20));
  }

  // File > Export Figure with a style writes what the dialog showed.
  void exportFigureToWritesTheStyledFigure() {
    MainWindow w;
    w.workspace()->setDebounceMs(0);
    w.workspace()->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    w.workspace()->setInputText(QStringLiteral("a dog barked"));
    QTRY_VERIFY(w.workspace()->trace());
    const QTemporaryDir dir;
    FigureStyle style;
    style.title = QStringLiteral("Figure 2");
    style.colorBarLabel = QStringLiteral("weight");
    const QString path = dir.filePath(QStringLiteral("f.svg"));
    QVERIFY(w.exportFigureTo(path, FigureOptions{FigureFormat::Svg, QSizeF(400, 300), 96, {}}, 0, style));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QVERIFY(svg.contains("Figure 2"));
    QVERIFY(svg.contains("weight"));
    QVERIFY(QSvgRenderer(svg).isValid());
    // A panel that draws no title of its own gets it as a band above.
    const QString chart = dir.filePath(QStringLiteral("chart.svg"));
    QVERIFY(w.exportFigureTo(chart, FigureOptions{FigureFormat::Svg, QSizeF(400, 300), 96, {}}, 1, style));
    QFile c(chart);
    QVERIFY(c.open(QIODevice::ReadOnly));
    QVERIFY(c.readAll().contains("Figure 2"));
  }
};

QTEST_MAIN(TestFigureStyle)
#include "test_figure_style.moc"
