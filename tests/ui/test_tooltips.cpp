// Tooltips on every control: each button, box, field and slider of every panel of every model kind, of the
// window, its docks and dialogs explains itself on hover (the desktop conventions).
#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/export/export_dialog.h"
#include "ui/shell/limits_dialog.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel.h"
#include "ui/panels/panel_registry.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

// Controls a user can act on, without a tooltip: "Class > name (text)" each.
QStringList controlsWithoutTooltip(const QWidget* root) {
  QStringList missing;
  for (const QWidget* w : root->findChildren<QWidget*>()) {
    const bool control = qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QComboBox*>(w) ||
                         qobject_cast<const QAbstractSpinBox*>(w) || qobject_cast<const QLineEdit*>(w) ||
                         qobject_cast<const QAbstractSlider*>(w) || qobject_cast<const QPlainTextEdit*>(w);
    if (!control || !w->toolTip().isEmpty()) continue;
    // Parts of a composite control (a spin box's line edit, a scroll bar of a view, a dialog's button box) are
    // explained by their owner or by what they say.
    if (qobject_cast<const QAbstractSpinBox*>(w->parentWidget()) || qobject_cast<const QComboBox*>(w->parentWidget())) continue;
    if (w->inherits("QScrollBar") || w->inherits("QTableCornerButton") || w->inherits("QLineEditIconButton") ||
        w->parentWidget()->inherits("QDialogButtonBox") || w->parentWidget()->inherits("QTabBar"))
      continue;
    if (w->objectName().startsWith(QLatin1String("qt_"))) continue;
    const auto* button = qobject_cast<const QAbstractButton*>(w);
    missing << QStringLiteral("%1 %2 \"%3\"").arg(QLatin1String(w->metaObject()->className()), w->objectName(),
                                                   button ? button->text() : QString());
  }
  return missing;
}

}  // namespace

class TestTooltips : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void everyPanelControlHasATooltip_data() {
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"encoder", "seq2seq", "han", "vit", ""}) QTest::newRow(kind) << QString::fromLatin1(kind);
  }
  void everyPanelControlHasATooltip() {
    QFETCH(QString, kind);
    QStringList missing;
    for (const PanelSpec& spec : panelsForKind(kind)) {
      std::unique_ptr<Panel> panel(spec.create(nullptr));
      for (const QString& m : controlsWithoutTooltip(panel.get())) missing << spec.id + QStringLiteral(": ") + m;
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));
  }

  void windowAndDialogsHaveTooltips() {
    MainWindow w;
    QStringList missing = controlsWithoutTooltip(&w);
    ExportDialog figure(QStringList{QStringLiteral("a"), QStringLiteral("b")}, QSizeF(300, 200), QStringLiteral("/tmp/x.png"));
    missing << controlsWithoutTooltip(&figure);
    LimitsDialog limits(w.workspace()->limits());
    missing << controlsWithoutTooltip(&limits);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));
  }
};

QTEST_MAIN(TestTooltips)
#include "test_tooltips.moc"
