// Where exports go and what they are called: a file's suffix and its format always agree (file_suffix.h's rule, in
// the export dialog, File > Export Figure, the layout figure and Export Data): a typed .svg under "PNG image" writes
// an SVG and says so, no suffix gets the format's, an unknown suffix is refused with one line. Export folders start
// in a place that takes files (the last export's, else Documents or home), never a model's read-only folder.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/export/export_dialog.h"
#include "ui/export/export_folder.h"
#include "ui/export/file_suffix.h"
#include "ui/export/figure_export.h"
#include "ui/panels/panel.h"
#include "ui/shell/message_bar.h"

using namespace attnviz::ui;

namespace {

QByteArray head(const QString& path, int n = 8) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

bool isPng(const QString& path) { return head(path).startsWith("\x89PNG"); }
bool isSvg(const QString& path) { return head(path, 200).contains("<?xml") || head(path, 200).contains("<svg"); }
bool isPdf(const QString& path) { return head(path).startsWith("%PDF"); }

}  // namespace

class TestExportPaths : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void init() {
    createWindow();
    ws_->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the cat sat")));
  }
  void cleanup() { closeWindow(); }

  void theRuleItself() {
    const QStringList known{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")};
    SuffixedPath p = applySuffixRule(QStringLiteral("/x/vit-flow.svg"), known, QStringLiteral("png"));
    QVERIFY(p);
    QCOMPARE(p.path, QStringLiteral("/x/vit-flow.svg"));
    QCOMPARE(p.suffix, QStringLiteral("svg"));
    QVERIFY(p.fromName);
    p = applySuffixRule(QStringLiteral("/x/FIG.PDF"), known, QStringLiteral("pdf"));
    QCOMPARE(p.suffix, QStringLiteral("pdf"));
    QVERIFY(!p.fromName);
    p = applySuffixRule(QStringLiteral("/x/vit-flow"), known, QStringLiteral("png"));
    QCOMPARE(p.path, QStringLiteral("/x/vit-flow.png"));
    QVERIFY(!p.fromName);
    p = applySuffixRule(QStringLiteral("/x/vit-flow.jpg"), known, QStringLiteral("png"));
    QVERIFY(!p);
    QCOMPARE(p.error, QStringLiteral("“vit-flow.jpg”: unknown suffix “.jpg”; use .png, .svg or .pdf"));
    QVERIFY(!p.error.contains(QLatin1Char('\n')));
    QVERIFY(!applySuffixRule(QStringLiteral("/x/"), known, QStringLiteral("png")));
    QCOMPARE(figurePath(QStringLiteral("a.svg"), FigureFormat::Png).format, FigureFormat::Svg);
  }

  // The case: Format "PNG image", vit-flow.svg typed. The dialog follows the name and says what it writes.
  void theDialogFollowsTheTypedSuffix() {
    const QTemporaryDir dir;
    const auto& panels = w_->panelArea()->panels();
    const std::vector<const Panel*> shown(panels.begin(), panels.end());
    ExportDialog dialog(shown, 0, dir.filePath(QStringLiteral("fig.png")));
    QCOMPARE(dialog.options().format, FigureFormat::Png);
    auto* path = dialog.findChild<QLineEdit*>(QStringLiteral("figurePath"));
    QVERIFY(path);
    const QString typed = dir.filePath(QStringLiteral("vit-flow.svg"));
    path->setText(typed);
    QCOMPARE(dialog.options().format, FigureFormat::Svg);
    QCOMPARE(dialog.path(), typed);  // the name stays as typed
    QVERIFY2(dialog.fileNote().contains(QStringLiteral("vit-flow.svg as SVG")), qPrintable(dialog.fileNote()));
    // Unknown: refused in the note, Save keeps the dialog open.
    path->setText(dir.filePath(QStringLiteral("vit-flow.jpg")));
    QVERIFY(dialog.fileNote().contains(QStringLiteral("unknown suffix “.jpg”")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("vit-flow.jpg"))));
    // None: Save adds the chosen format's.
    path->setText(dir.filePath(QStringLiteral("plain")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.path(), dir.filePath(QStringLiteral("plain.svg")));
    QVERIFY(w_->exportFigureTo(dialog.path(), dialog.options(), 0, dialog.style()));
    QVERIFY(isSvg(dir.filePath(QStringLiteral("plain.svg"))));
  }

  // Without the dialog the same rule: the written file's format is the name's, and the status bar says which.
  void exportsWriteTheFormatTheNameSays() {
    const QTemporaryDir dir;
    const QSizeF size(320, 240);
    const QString svg = dir.filePath(QStringLiteral("vit-flow.svg"));
    QVERIFY(w_->exportFigureTo(svg, {FigureFormat::Png, size, 96, {}}));
    QVERIFY(isSvg(svg));
    QVERIFY2(w_->statusBar()->currentMessage().contains(QStringLiteral("as SVG (the file name's suffix)")),
             qPrintable(w_->statusBar()->currentMessage()));
    QVERIFY(w_->exportFigureTo(dir.filePath(QStringLiteral("noname")), {FigureFormat::Pdf, size, 96, {}}));
    QVERIFY(isPdf(dir.filePath(QStringLiteral("noname.pdf"))));
    QVERIFY(w_->statusBar()->currentMessage().endsWith(QStringLiteral("noname.pdf as PDF")));
    QVERIFY(w_->exportLayoutFigureTo(dir.filePath(QStringLiteral("layout.png")), {FigureFormat::Svg, size, 96, {}}));
    QVERIFY(isPng(dir.filePath(QStringLiteral("layout.png"))));

    const QString jpg = dir.filePath(QStringLiteral("fig.jpg"));
    QVERIFY(!w_->exportFigureTo(jpg, {FigureFormat::Png, size, 96, {}}));
    QVERIFY(!QFile::exists(jpg));
    QVERIFY(w_->messageBar()->text(QStringLiteral("export")).contains(QStringLiteral("unknown suffix “.jpg”; use .png, .svg or .pdf")));
    QVERIFY(!w_->exportLayoutFigureTo(jpg, {FigureFormat::Png, size, 96, {}}));
    QVERIFY(!QFile::exists(jpg));

    // Data: .txt used to receive the JSON trace silently.
    const QString txt = dir.filePath(QStringLiteral("trace.txt"));
    QVERIFY(!w_->exportDataTo(txt));
    QVERIFY(!QFile::exists(txt));
    QVERIFY(w_->messageBar()->text(QStringLiteral("export")).contains(QStringLiteral("use .csv, .json or .tex")));
    QVERIFY(w_->exportDataTo(dir.filePath(QStringLiteral("trace"))));
    QVERIFY(head(dir.filePath(QStringLiteral("trace.json")), 1) == "{");
  }

  // A folder that no longer takes files (a read-only model folder, a removed one) is never proposed.
  void exportFolderIsWritable() {
    QVERIFY(folderTakesFiles(exportFolder()));
    // Root ignores permission bits: /proc stands in for an installed package's read-only model folder.
    QSettings().setValue(QStringLiteral("export/folder"), QStringLiteral("/proc"));
    QVERIFY(!folderTakesFiles(QStringLiteral("/proc")));
    QVERIFY(exportFolder() != QStringLiteral("/proc"));
    QVERIFY(folderTakesFiles(QFileInfo(w_->suggestedFileName(QStringLiteral("png"))).absolutePath()));
    // The last export's folder comes back, also in a new window.
    QTemporaryDir dir;
    QVERIFY(w_->exportFigureTo(dir.filePath(QStringLiteral("f.png")), {FigureFormat::Png, QSizeF(200, 150), 96, {}}));
    QCOMPARE(QFileInfo(w_->suggestedFileName(QStringLiteral("png"))).absolutePath(), QDir(dir.path()).absolutePath());
    const QString gone = dir.path();
    dir.remove();
    QVERIFY(QFileInfo(w_->suggestedFileName(QStringLiteral("png"))).absolutePath() != gone);
  }
};

QTEST_MAIN(TestExportPaths)
#include "test_export_paths.moc"
