// The window's kind table (ui/kinds/kind_ui.h) and the engine's (engine/api/model_kind.h) have the same kinds: a
// kind registered in one but not the other would open with the generic heatmap only, or have panels no model uses.
// Each kind's panels get a tab, and its export views name panels that exist.
#include <QtTest>

#include "engine/api/model_kind.h"
#include "ui/kinds/kind_ui.h"
#include "ui/panels/panel.h"

using attnviz::ui::FigureView;
using attnviz::ui::KindUi;
using attnviz::ui::PanelSpec;

class TestKindTable : public QObject {
  Q_OBJECT

 private slots:
  void everyEngineKindHasAWindowRowAndBack() {
    for (const attnviz::ModelKind* kind : attnviz::modelKinds())
      QVERIFY2(attnviz::ui::findKindUi(QString::fromStdString(kind->name)), kind->name.c_str());
    for (const KindUi* row : attnviz::ui::kindUis())
      QVERIFY2(attnviz::findModelKind(row->name.toStdString()), qPrintable(row->name));
    QCOMPARE(attnviz::ui::kindUis().size(), attnviz::modelKinds().size());
  }

  void everyViewNamesAPanelOfSomeKind() {
    for (const KindUi* row : attnviz::ui::kindUis()) {
      const std::vector<PanelSpec> panels = row->panels();
      QVERIFY2(!panels.empty(), qPrintable(row->name));
      for (const PanelSpec& spec : panels) QVERIFY2(!spec.tab.isEmpty() && spec.create, qPrintable(spec.id));
      for (const FigureView& view : row->figureViews()) {
        bool found = false;
        for (const KindUi* other : attnviz::ui::kindUis())
          for (const PanelSpec& spec : other->panels()) found = found || spec.id == QString::fromStdString(view.panelId);
        QVERIFY2(found, qPrintable(row->name + QLatin1Char('/') + QString::fromStdString(view.name)));
      }
    }
  }

  void capabilitiesComeFromTheEngine() {
    for (const attnviz::ModelKind* kind : attnviz::modelKinds()) {
      const QString name = QString::fromStdString(kind->name);
      QCOMPARE(attnviz::ui::kindCan(name, &attnviz::KindCapabilities::image), kind->can.image);
      QCOMPARE(attnviz::ui::kindCan(name, &attnviz::KindCapabilities::selfAttention), kind->can.selfAttention);
    }
    QVERIFY(!attnviz::ui::kindCan(QString(), &attnviz::KindCapabilities::text));
    QVERIFY(!attnviz::ui::kindCan(QStringLiteral("no such kind"), &attnviz::KindCapabilities::text));
  }
};

QTEST_MAIN(TestKindTable)
#include "test_kind_table.moc"
