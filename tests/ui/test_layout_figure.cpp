// File > Export Layout Figure: the panels of the current tab as one figure, arranged as on screen, labelled
// (a), (b), (c) in reading order. Checked on the han Saliency tab (document | sentence chart) and the seq2seq
// Alignment tab (map | chart over beam list): the labels are painted (dark pixels in each label strip, text in
// the SVG), each panel's content fills its own region, PNG/SVG/PDF are written at the requested size, a tab
// with one panel gets no label, and failures say why. Writes layout-han.png into $ATTNVIZ_SHOT_DIR (default
// /tmp) with models/han-movie-reviews when it has been trained, else the fake han model, for people to look at.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/export/export_dialog.h"
#include "ui/export/layout_figure.h"
#include "ui/export/layout_figure_panel.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/han/saliency_panel.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Share of the pixel rows and columns of `area` without any ink: the empty splitter space around a panel's content.
double blankLines(const QImage& image, const QRect& area) {
  int blank = 0;
  for (int y = area.top(); y <= area.bottom(); ++y) {
    bool ink = false;
    for (int x = area.left(); x <= area.right() && !ink; ++x) ink = qGray(image.pixel(x, y)) < 250;
    blank += !ink;
  }
  for (int x = area.left(); x <= area.right(); ++x) {
    bool ink = false;
    for (int y = area.top(); y <= area.bottom() && !ink; ++y) ink = qGray(image.pixel(x, y)) < 250;
    blank += !ink;
  }
  return static_cast<double>(blank) / (area.width() + area.height());
}

// Share of sampled pixels in `area` that are not white: 0 for a blank region.
double inkShare(const QImage& image, const QRect& area, int darkerThan = 250) {
  int ink = 0, all = 0;
  for (int y = area.top(); y <= area.bottom(); y += 2) {
    for (int x = area.left(); x <= area.right(); x += 2) {
      ++all;
      if (qGray(image.pixel(x, y)) < darkerThan) ++ink;
    }
  }
  return all ? static_cast<double>(ink) / all : 0.0;
}

LayoutFigure currentLayout(const MainWindow& w) {
  return LayoutFigure::ofPage(w.panelArea()->tabs()->currentWidget(), w.panelArea()->panels());
}

QString hanModelPath() {
  const QString trained = QStringLiteral(ATTNVIZ_SOURCE_DIR "/models/han-movie-reviews");
  return QFileInfo::exists(trained + QStringLiteral("/attnviz.json")) ? trained : QString();
}

}  // namespace

class TestLayoutFigure : public attnviz::test::WindowTest {
  Q_OBJECT

  void openHan(const QString& modelPath) {
    createWindow();
    Workspace* ws = ws_;
    if (modelPath.isEmpty()) {
      ws->addModel(std::make_shared<attnviz::test::FakeHan>(), QStringLiteral("fake:han"));
    } else {
      ws->openModel(modelPath);
      QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 60000);
    }
    QVERIFY(showWindow({1300, 760}));
    QVERIFY(w_->openTextFile(QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/review-positive.txt")));
    auto* saliency = qobject_cast<SaliencyPanel*>(w_->panelArea()->panel(QStringLiteral("saliency")));
    QVERIFY(saliency);
    QTRY_VERIFY_WITH_TIMEOUT(!saliency->view()->document().empty(), 30000);
    ws->selection().setSentence(1);  // the sentence chart shows a sentence's words
    w_->panelArea()->showPanel(QStringLiteral("saliency"));
    QTest::qWait(50);
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void hanSaliencyTabIsOneLabelledFigure() {
    openHan({});
    const LayoutFigure f = currentLayout(*w_);
    QCOMPARE(static_cast<int>(f.items.size()), 2);
    QCOMPARE(f.items[0].panel, w_->panelArea()->panel(QStringLiteral("saliency")));  // left: (a)
    QCOMPARE(f.items[1].panel, w_->panelArea()->panel(QStringLiteral("sentenceChart")));  // right: (b)
    QCOMPARE(f.label(0), QStringLiteral("(a)"));
    QCOMPARE(f.label(1), QStringLiteral("(b)"));
    for (int i = 0; i < 2; ++i) {  // every panel at least at its own figure's width: its text fits
      const QSizeF tight = f.items[static_cast<std::size_t>(i)].panel->tightFigureSize();
      QVERIFY(f.content(QRectF(QPointF(), f.pageSize), i).width() >= tight.width() - 1);
    }

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("layout.png"));
    QVERIFY(w_->exportLayoutFigureTo(png, {FigureFormat::Png, f.pageSize, 96, {}}).ok);
    const QImage image(png);
    QCOMPARE(image.size(), f.pageSize.toSize());
    const QRectF whole(QPointF(), f.pageSize);
    for (int i = 0; i < 2; ++i) {
      const QRectF cell = f.cell(whole, i);
      const QRectF content = f.content(whole, i);
      QVERIFY(content.top() > cell.top());  // a strip for the label above the panel
      // The label: dark pixels at the strip's left end, white at its right end.
      const QRect label = QRectF(cell.left(), cell.top(), 34, content.top() - cell.top()).toAlignedRect();
      QVERIFY2(inkShare(image, label, 100) > 0.03, qPrintable(QStringLiteral("label %1").arg(i)));
      const QRect rest = QRectF(cell.left() + 60, cell.top(), cell.width() - 70, content.top() - cell.top() - 1).toAlignedRect();
      QCOMPARE(inkShare(image, rest), 0.0);
      // Each panel's content is in its own region, not blank.
      QVERIFY2(inkShare(image, content.adjusted(4, 4, -4, -4).toAlignedRect()) > 0.02, qPrintable(QStringLiteral("panel %1").arg(i)));
    }
    // Twice the size: the same arrangement, scaled; SVG keeps the labels as text; PDF is one page.
    const QString svg = dir.filePath(QStringLiteral("layout.svg"));
    QVERIFY(w_->exportLayoutFigureTo(svg, {FigureFormat::Svg, f.pageSize * 2, 96, {}}).ok);
    const QByteArray svgBytes = readAll(svg);
    QVERIFY(svgBytes.contains(">(a)<"));
    QVERIFY(svgBytes.contains(">(b)<"));
    QVERIFY(svgBytes.contains("wonderful"));  // the document's words, as text
    QVERIFY(!svgBytes.contains(">(c)<"));
    const QRectF big(QPointF(), f.pageSize * 2);
    QVERIFY(std::abs(f.cell(big, 1).left() - 2 * f.items[1].rect.left() - 3) < 1e-6);
    const QString pdf = dir.filePath(QStringLiteral("layout.pdf"));
    QVERIFY(w_->exportLayoutFigureTo(pdf, {FigureFormat::Pdf, f.pageSize, 96, {}}).ok);
    QVERIFY(readAll(pdf).startsWith("%PDF"));
  }

  void onePanelTabHasNoLabel() {
    openHan({});
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));  // han's Heatmap tab holds the heatmap alone
    QTest::qWait(50);
    const LayoutFigure f = currentLayout(*w_);
    QCOMPARE(static_cast<int>(f.items.size()), 1);
    QVERIFY(f.label(0).isEmpty());
    const QRectF whole(QPointF(), f.pageSize);
    QCOMPARE(f.content(whole, 0), f.cell(whole, 0));  // no strip either
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("one.svg"));
    QVERIFY(w_->exportLayoutFigureTo(svg, {FigureFormat::Svg, f.pageSize, 96, {}}).ok);
    QVERIFY(!readAll(svg).contains(">(a)<"));
  }

  void threePanelsInReadingOrder() {
    createWindow();
    w_->workspace()->addModel(std::make_shared<attnviz::test::FakeSeq2seq>(), QStringLiteral("fake:bahdanau"));
    QVERIFY(showWindow({1200, 760}));
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY_WITH_TIMEOUT(w_->workspace()->trace(), 10000);
    w_->panelArea()->showPanel(QStringLiteral("alignment"));
    QTest::qWait(50);
    const LayoutFigure f = currentLayout(*w_);
    QCOMPARE(static_cast<int>(f.items.size()), 3);
    QCOMPARE(f.items[0].panel, w_->panelArea()->panel(QStringLiteral("alignment")));       // (a) left
    QCOMPARE(f.items[1].panel, w_->panelArea()->panel(QStringLiteral("attentionChart")));  // (b) right, top
    QCOMPARE(f.items[2].panel, w_->panelArea()->panel(QStringLiteral("beam")));            // (c) right, below it
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("three.svg"));
    QVERIFY(w_->exportLayoutFigureTo(svg, {FigureFormat::Svg, f.pageSize, 96, {}}).ok);
    const QByteArray bytes = readAll(svg);
    QVERIFY(bytes.contains(">(a)<") && bytes.contains(">(b)<") && bytes.contains(">(c)<"));
    // No empty splitter space: the columns end level, and the alignment map fills its cell (it used to sit in the
    // middle of a wide, mostly blank panel (a)).
    QVERIFY(std::abs(f.items[0].rect.bottom() - f.items[2].rect.bottom()) < 1.0);
    const QString png = dir.filePath(QStringLiteral("three.png"));
    QVERIFY(w_->exportLayoutFigureTo(png, {FigureFormat::Png, f.pageSize, 96, {}}).ok);
    const QImage image(png);
    const QRect a = f.content(QRectF(QPointF(), f.pageSize), 0).toAlignedRect().adjusted(1, 1, -1, -1);
    QVERIFY2(blankLines(image, a) < 0.2, qPrintable(QStringLiteral("%1 of (a)'s lines are blank").arg(blankLines(image, a))));
  }

  // File > Export Layout Figure previews the figure and styles it like any panel's.
  void layoutDialogPreviewsAndStyles() {
    openHan({});
    const LayoutFigurePanel figure(currentLayout(*w_), QStringLiteral("All panels"));
    ExportDialog dialog(std::vector<const Panel*>{&figure}, 0, QStringLiteral("/tmp/layout.png"));
    QTRY_VERIFY(!dialog.preview()->pixmap().isNull());
    QVERIFY(figure.figureFeatures().testFlag(FigureFeature::Font));
    QVERIFY(figure.figureFeatures().testFlag(FigureFeature::Dark));
    FigureStyle dark;
    dark.dark = true;
    dark.fontFamily = QStringLiteral("DejaVu Serif");
    dark.title = QStringLiteral("Figure 4");
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("styled.svg"));
    QVERIFY(w_->exportLayoutFigureTo(svg, {FigureFormat::Svg, figure.figureSize(), 96, {}}, dark).ok);
    const QByteArray bytes = readAll(svg);
    QVERIFY(bytes.contains("Figure 4"));
    QVERIFY(bytes.contains("DejaVu Serif"));
    QCOMPARE(bytes.count("Figure 4"), 1);  // the whole figure's title, not every panel's
    const QString png = dir.filePath(QStringLiteral("styled.png"));
    QVERIFY(w_->exportLayoutFigureTo(png, {FigureFormat::Png, figure.figureSize(), 96, {}}, dark).ok);
    QVERIFY(inkShare(QImage(png), QRect(QPoint(0, 0), figure.figureSize().toSize()), 100) > 0.5);  // dark throughout
  }

  void failuresSayWhy() {
    QVERIFY(LayoutFigure::ofPage(nullptr, {}).empty());
    openHan({});
    const SaveResult r = w_->exportLayoutFigureTo(QStringLiteral("/nonexistent-folder/layout.png"),
                                                  {FigureFormat::Png, QSizeF(400, 300), 96, {}});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("/nonexistent-folder/layout.png")), qPrintable(r.error));
    QVERIFY(!QFile::exists(QStringLiteral("/nonexistent-folder/layout.png")));
  }

  void shotOfTheTrainedModel() {
    const QString model = hanModelPath();
    openHan(model);
    qInfo("model: %s", qPrintable(model.isEmpty() ? QStringLiteral("fake han") : model));
    const LayoutFigure f = currentLayout(*w_);
    QCOMPARE(static_cast<int>(f.items.size()), 2);
    const QString shot = QDir(qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp"))).filePath(QStringLiteral("layout-han.png"));
    QVERIFY(w_->exportLayoutFigureTo(shot, {FigureFormat::Png, f.pageSize, 144, {}}).ok);
    qInfo("layout figure: %s", qPrintable(shot));
    const QImage image(shot);
    QVERIFY(!image.isNull());
    const double scale = 144.0 / 96.0;
    const QRectF whole(QPointF(), f.pageSize);
    for (int i = 0; i < 2; ++i) {
      const QRectF c = f.content(whole, i);
      const QRect area(QPointF(c.topLeft() * scale).toPoint(), QPointF(c.bottomRight() * scale).toPoint());
      QVERIFY(inkShare(image, area.adjusted(6, 6, -6, -6)) > 0.02);
    }
  }
};

QTEST_MAIN(TestLayoutFigure)
#include "test_layout_figure.moc"
