// A dark palette (a dark desktop theme) darkens every panel, not only the heatmap: each panel of the encoder, han and
// seq2seq tabs, grabbed after the window's palette turned dark, is mostly dark with light text.
#include <QPalette>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/panels/panel.h"

using namespace attnviz::ui;

namespace {

// Share of sampled pixels darker than `below` (gray).
double darkShare(const QImage& image, int below = 90) {
  int dark = 0, all = 0;
  for (int y = 0; y < image.height(); y += 3) {
    for (int x = 0; x < image.width(); x += 3) {
      ++all;
      if (qGray(image.pixel(x, y)) < below) ++dark;
    }
  }
  return all ? static_cast<double>(dark) / all : 0.0;
}

QPalette darkPalette(QPalette p) {
  for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
    p.setColor(g, QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(g, QPalette::Window, QColor(0x2a, 0x2a, 0x2a));
    p.setColor(g, QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(g, QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
  }
  return p;
}

}  // namespace

class TestDarkPalette : public attnviz::test::WindowTest {
  Q_OBJECT

  // Every panel on every tab of the open model, shown in turn and grabbed: mostly dark.
  void checkEveryPanel() {
    w_->setPalette(darkPalette(w_->palette()));
    QTest::qWait(50);
    for (Panel* panel : w_->panelArea()->panels()) {
      w_->panelArea()->showPanel(panel->objectName());
      QTest::qWait(30);
      if (!panel->isVisible() || panel->width() < 40) continue;
      const QImage shot = panel->grab().toImage();
      const double share = darkShare(shot);
      QVERIFY2(share > 0.5, qPrintable(QStringLiteral("%1: %2 of it dark").arg(panel->objectName()).arg(share)));
    }
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void encoder() {
    createWindow();
    ws_->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the cat sat on the mat")));
    checkEveryPanel();
  }

  void han() {
    createWindow();
    ws_->addModel(std::make_shared<attnviz::test::FakeHan>(), QStringLiteral("fake:han"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the film was great .\nthe plot was thin .")));
    ws_->selection().setSentence(0);
    checkEveryPanel();
  }

  void seq2seq() {
    createWindow();
    ws_->addModel(std::make_shared<attnviz::test::FakeSeq2seq>(), QStringLiteral("fake:bahdanau"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the cat sat")));
    checkEveryPanel();
  }
};

QTEST_MAIN(TestDarkPalette)
#include "test_dark_palette.moc"
