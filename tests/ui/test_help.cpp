// Help menu and keyboard navigation: the model card of the current model, About with the versions and CPU
// kernels, the shortcuts page built from the menus, and View > Next/Previous Layer/Head and zoom by keyboard.
#include <QAction>
#include <QDialog>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <functional>
#include <QTextBrowser>
#include <QtTest>

#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/ops.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/help_pages.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeModel;

namespace {

QAction* actionNamed(QMenuBar* bar, const QString& text) {
  for (QAction* menu : bar->actions())
    if (menu->menu())
      for (QAction* a : menu->menu()->actions())
        if (a->text().remove(QLatin1Char('&')) == text) return a;
  return nullptr;
}

void saveShot(QWidget* w, const QString& name) {
  if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR")) w->grab().save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + QLatin1Char('/') + name);
}

}  // namespace

class TestHelp : public attnviz::test::WindowTest {
  Q_OBJECT

  QTextBrowser* openPage(const QString& action) {
    QAction* a = actionNamed(w_->menuBar(), action);
    if (!a) return nullptr;
    a->trigger();
    QDialog* page = w_->findChild<QDialog*>(QStringLiteral("helpPage"));
    if (!page) return nullptr;
    if (!QTest::qWaitForWindowExposed(page)) return nullptr;
    return page->findChild<QTextBrowser*>();
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    ws_->setLoader(attnviz::test::fakeLoader());
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
  }

  void cleanup() { closeWindow(); }

  void aboutNamesVersionsAndCpuKernels() {
    const QString html = aboutHtml();
    QVERIFY(html.contains(QString::fromLatin1(qVersion())));
    QVERIFY(html.contains(QString::fromStdString(attnviz::ops::onednnVersion()).toHtmlEscaped()));
    QVERIFY(html.contains(QStringLiteral("CPU kernels")));
    QVERIFY(html.contains(QString::fromStdString(attnviz::ops::cpuIsaDescription()).toHtmlEscaped()));
    // the CPU's features and whether bfloat16 runs here, or why not (the missing feature)
    const auto& cpu = attnviz::ops::cpuCapabilities();
    QVERIFY(html.contains(QString::fromStdString(cpu.featureList()).toHtmlEscaped()));
    QVERIFY2(html.contains(QString::fromStdString(cpu.bf16Summary()).toHtmlEscaped()), qPrintable(html));
    if (!cpu.bf16) QVERIFY(html.contains(QString::fromStdString(cpu.bf16Missing).toHtmlEscaped()));
    QTextBrowser* page = openPage(QStringLiteral("About attnviz"));
    QVERIFY(page);
    QVERIFY(page->toPlainText().contains(QStringLiteral("oneDNN")));
    saveShot(page->window(), QStringLiteral("help-about.png"));
  }

  void modelCardOfTheCurrentModel() {
    QAction* card = actionNamed(w_->menuBar(), QStringLiteral("Model Card"));
    QVERIFY(card);
    QCOMPARE(card->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+I")));
    card->trigger();  // no model yet: said in the message bar, no page
    QVERIFY(w_->messageBar()->text(QStringLiteral("card")).contains(QStringLiteral("No model is open")));
    QVERIFY(!w_->findChild<QDialog*>(QStringLiteral("helpPage")));

    QSignalSpy opened(ws_, &Workspace::modelOpened);
    ws_->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QTextBrowser* page = openPage(QStringLiteral("Model Card"));
    QVERIFY(page);
    const QString text = page->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("tiny-encoder")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Training data, metrics and provenance")));
    QVERIFY(text.contains(QStringLiteral("make_tiny_encoder.py")));  // card: provenance
    QVERIFY(text.contains(QStringLiteral("num_layers")) || text.contains(QStringLiteral("layers")));  // architecture
    QVERIFY(text.contains(QStringLiteral("parameters")));
    saveShot(page->window(), QStringLiteral("help-model-card.png"));
  }

  void shortcutsPageListsEveryMenuShortcut() {
    const QString html = shortcutsHtml(w_->menuBar());
    for (const char* name : {"Next Layer", "Previous Head", "Zoom In", "Export Figure", "Run Now", "Model Card", "Edit Input"})
      QVERIFY2(html.contains(QLatin1String(name)), name);
    QVERIFY(html.contains(QKeySequence(QStringLiteral("Alt+Right")).toString(QKeySequence::NativeText)));
    // No key does two things.
    QMap<QString, QString> owner;
    const std::function<void(QMenu*)> visit = [&](QMenu* menu) {
      for (QAction* a : menu->actions()) {
        if (a->menu()) visit(a->menu());
        for (const QKeySequence& k : a->shortcuts()) {
          QVERIFY2(!owner.contains(k.toString()), qPrintable(k.toString() + ": " + owner.value(k.toString()) + " and " + a->text()));
          owner.insert(k.toString(), a->text());
        }
      }
    };
    for (QAction* m : w_->menuBar()->actions())
      if (m->menu()) visit(m->menu());
    QTextBrowser* page = openPage(QStringLiteral("Keyboard Shortcuts"));
    QVERIFY(page);
    saveShot(page->window(), QStringLiteral("help-shortcuts.png"));
  }

  void layerAndHeadFollowTheKeyboardWithinBounds() {
    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));  // 2 layers, 2 heads
    ws_->setInputText(QStringLiteral("the cat sat"));
    ws_->runNow();
    QTRY_VERIFY(ws_->shownTrace());
    QCOMPARE(ws_->layerHeadCounts(), std::make_pair(2, 2));
    Selection& sel = ws_->selection();
    QCOMPARE(sel.layer(), 0);
    QTest::keyClick(w_.get(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(sel.layer(), 1);
    QTest::keyClick(w_.get(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(sel.layer(), 1);  // the last layer stays
    QTest::keyClick(w_.get(), Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(sel.head(), 1);
    QTest::keyClick(w_.get(), Qt::Key_Left, Qt::AltModifier);
    QTest::keyClick(w_.get(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(sel.head(), 0);
    QTest::keyClick(w_.get(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(sel.layer(), 0);

    auto* heatmap = qobject_cast<HeatmapPanel*>(w_->panelArea()->panels().front());
    QVERIFY(heatmap);
    QCOMPARE(heatmap->zoom(), 1.0);
    actionNamed(w_->menuBar(), QStringLiteral("Zoom In"))->trigger();
    QVERIFY(heatmap->zoom() > 1.0);
    actionNamed(w_->menuBar(), QStringLiteral("Zoom to Fit"))->trigger();
    QCOMPARE(heatmap->zoom(), 1.0);
  }
};

QTEST_MAIN(TestHelp)
#include "test_help.moc"
