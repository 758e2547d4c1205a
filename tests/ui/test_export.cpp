// Figure and data export: PNG/SVG/PDF through the panel's paint function, atomic writes (no partial
// file on failure: a missing or read-only folder, a full disk, a painting that throws), asking before an
// existing file is replaced, CSV quoting, JSON trace.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QJsonParseError>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/resource.h>
#include <unistd.h>

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <csignal>

#include "tests/ui/fake_model.h"
#include "ui/export/data_export.h"
#include "ui/export/export_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/maps/heatmap_painter.h"

using namespace attnviz::ui;

namespace {

HeatmapData sample() {
  return HeatmapData::fromValues(3, 3, {0.7f, 0.2f, 0.1f, 0.3f, 0.3f, 0.4f, 0.05f, 0.15f, 0.8f},
                                 {"the", "cat", "sat"}, {"the", "cat", "sat"}, QStringLiteral("sample"));
}

FigurePainter painterFor(const HeatmapData& d) {
  return [d](QPainter& p, const QRectF& rect) { HeatmapPainter::paint(p, rect, d, HeatmapStyle{}); };
}

// A detailed, hard-to-compress figure: a 120 x 120 map of noise (tens of KB in every format).
HeatmapData noise() {
  std::vector<float> v(120 * 120);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 2654435761u) % 1000) / 1000.0f;
  return HeatmapData::fromValues(120, 120, std::move(v), {}, {}, QStringLiteral("noise"));
}

// RLIMIT_FSIZE set to `bytes` for the life of the object: a "full disk" for every file this process writes.
// SIGXFSZ is ignored, as the app does, so writes past it fail with EFBIG instead of killing the test.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = old_;
    limited.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &old_); }

 private:
  rlimit old_{};
};

// Answers the next modal question (QMessageBox) by clicking the button with `role`, once it is shown.
void answerNextQuestion(QMessageBox::ButtonRole role) {
  QTimer::singleShot(0, [role] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box) return answerNextQuestion(role);  // not shown yet
    for (QAbstractButton* b : box->buttons())
      if (box->buttonRole(b) == role) return b->click();
  });
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

 private slots:
  void initTestCase() {
    attnviz::test::isolateSettings();
    QVERIFY(dir_.isValid());
  }

  void pngHasRequestedPixelsAndDpi() {
    const QString path = dir_.filePath(QStringLiteral("fig.png"));
    FigureOptions o{FigureFormat::Png, QSizeF(400, 300), 192, {}};
    const SaveResult r = exportFigure(path, o, painterFor(sample()));
    QVERIFY2(r.ok, qPrintable(r.error));
    QImage img(path);
    QVERIFY(!img.isNull());
    QCOMPARE(img.size(), QSize(800, 600));
    QCOMPARE(pngPixelSize(o), QSize(800, 600));
    QVERIFY(std::abs(img.dotsPerMeterX() - 7559) <= 2);  // 192 dpi
    // The painting is there: the white background is not all there is.
    QSet<QRgb> colours;
    for (int x = 0; x < img.width(); x += 7) colours.insert(img.pixel(x, img.height() / 3));
    QVERIFY(colours.size() > 3);
  }

  void svgIsXmlWithSvgRoot() {
    const QString path = dir_.filePath(QStringLiteral("fig.svg"));
    const SaveResult r = exportFigure(path, {FigureFormat::Svg, QSizeF(400, 300), 96, QStringLiteral("t")},
                                      painterFor(sample()));
    QVERIFY2(r.ok, qPrintable(r.error));
    const QByteArray svg = readAll(path);
    QVERIFY(svg.startsWith("<?xml"));
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains("viewBox=\"0 0 400 300\""));
    QVERIFY(svg.contains("cat"));  // labels are text, not pixels
    // It renders back: a valid document whose cells are coloured.
    QSvgRenderer renderer(path);
    QVERIFY(renderer.isValid());
    QImage back(800, 600, QImage::Format_RGB32);
    back.fill(Qt::white);
    QPainter p(&back);
    renderer.render(&p);
    p.end();
    QSet<QRgb> colours;
    for (int x = 0; x < back.width(); x += 5) colours.insert(back.pixel(x, back.height() / 3));
    QVERIFY(colours.size() > 3);
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR")) back.save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + "/svg-rendered.png");
  }

  void pdfStartsWithMagic() {
    const QString path = dir_.filePath(QStringLiteral("fig.pdf"));
    const SaveResult r = exportFigure(path, {FigureFormat::Pdf, QSizeF(400, 300), 300, QStringLiteral("t")},
                                      painterFor(sample()));
    QVERIFY2(r.ok, qPrintable(r.error));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF"));
    QVERIFY(pdf.size() > 500);
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    // One page of exactly the figure: 400 x 300 px at 96 px/inch = 300 x 225 pt.
    const QRegularExpressionMatch box = QRegularExpression(QStringLiteral("/MediaBox \\[([^\\]]*)\\]")).match(QString::fromLatin1(pdf));
    QVERIFY(box.hasMatch());
    const QStringList corners = box.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(corners.size(), 4);
    QVERIFY2(std::abs(corners[2].toDouble() - 300) < 0.5 && std::abs(corners[3].toDouble() - 225) < 0.5, qPrintable(box.captured(0)));
  }

  void unwritablePathFailsCleanly_data() {
    QTest::addColumn<int>("format");
    QTest::newRow("png") << static_cast<int>(FigureFormat::Png);
    QTest::newRow("svg") << static_cast<int>(FigureFormat::Svg);
    QTest::newRow("pdf") << static_cast<int>(FigureFormat::Pdf);
  }
  void unwritablePathFailsCleanly() {
    QFETCH(int, format);
    const QString path = dir_.filePath(QStringLiteral("no-such-dir/fig.out"));
    const SaveResult r = exportFigure(path, {static_cast<FigureFormat>(format), QSizeF(200, 100), 96, {}}, painterFor(sample()));
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(QStringLiteral("no-such-dir")));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QDir(dir_.filePath(QStringLiteral("no-such-dir"))).exists());
  }

  // A read-only directory: QSaveFile cannot create its temporary file; nothing is left behind. Root ignores
  // directory permissions, so as root /proc (a file system where no file can be created) stands in.
  void readOnlyDirectoryLeavesNothing() {
    const bool root = ::geteuid() == 0;
    const QString ro = root ? QStringLiteral("/proc") : dir_.filePath(QStringLiteral("ro"));
    if (!root) {
      QVERIFY(QDir().mkpath(ro));
      QFile::setPermissions(ro, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    }
    const QStringList before = QDir(ro).entryList(QDir::Files | QDir::Hidden);
    const SaveResult r = exportFigure(ro + QStringLiteral("/attnviz-fig.png"), {}, painterFor(sample()));
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(ro), qPrintable(r.error));
    QVERIFY(!QFile::exists(ro + QStringLiteral("/attnviz-fig.png")));
    if (!root) {
      QCOMPARE(QDir(ro).entryList(QDir::Files | QDir::Hidden), before);
      QFile::setPermissions(ro, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
  }

  // A painting that fails halfway (here: throws) leaves neither a partial file nor a changed old one.
  void failedWriteKeepsOldFile() {
    const QString path = dir_.filePath(QStringLiteral("keep.png"));
    QVERIFY(exportFigure(path, {}, painterFor(sample())).ok);
    const QByteArray before = readAll(path);
    const SaveResult r = exportFigure(path, {}, [](QPainter&, const QRectF&) { throw std::runtime_error("boom"); });
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(QStringLiteral("boom")));
    QCOMPARE(readAll(path), before);
    QCOMPARE(QDir(dir_.path()).entryList({QStringLiteral("keep.png*")}, QDir::Files | QDir::Hidden).size(), 1);
  }

  // A full disk (here a 2 KB file-size limit): the export fails with a message, the old file is kept and no
  // temporary file is left beside it.
  void fullDiskKeepsTheOldFileAndLeavesNothing_data() { unwritablePathFailsCleanly_data(); }
  void fullDiskKeepsTheOldFileAndLeavesNothing() {
    QFETCH(int, format);
    const QString sub = dir_.filePath(QStringLiteral("full-%1").arg(format));
    QVERIFY(QDir().mkpath(sub));
    const QString path = sub + QStringLiteral("/fig.out");
    {
      QFile old(path);
      QVERIFY(old.open(QIODevice::WriteOnly));
      old.write("the figure from yesterday");
    }
    const FigureOptions o{static_cast<FigureFormat>(format), QSizeF(900, 900), 300, QStringLiteral("noise")};
    SaveResult r;
    {
      FileSizeLimit full(2048);
      r = exportFigure(path, o, painterFor(noise()));
    }
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(path), qPrintable(r.error));
    QCOMPARE(readAll(path), QByteArray("the figure from yesterday"));
    QCOMPARE(QDir(sub).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("fig.out")});
    // With room again the same export succeeds.
    QVERIFY(exportFigure(path, o, painterFor(noise())).ok);
    QVERIFY(readAll(path).size() > 2048);
  }

  // A name typed into the export dialog that exists: the user is asked, No keeps the dialog open and the file,
  // Replace accepts. A path chosen in Browse… (whose file dialog asked already) is not asked about again.
  void exportDialogAsksBeforeReplacing() {
    const QString path = dir_.filePath(QStringLiteral("taken.png"));
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("mine");
    }
    ExportDialog dialog({QStringLiteral("Attention")}, QSizeF(200, 100), path);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QPushButton* save = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
    answerNextQuestion(QMessageBox::RejectRole);
    save->click();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(readAll(path), QByteArray("mine"));
    answerNextQuestion(QMessageBox::AcceptRole);
    save->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    ExportDialog fresh({QStringLiteral("Attention")}, QSizeF(200, 100), dir_.filePath(QStringLiteral("new-name.png")));
    fresh.show();
    fresh.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();  // nothing there: no question
    QCOMPARE(fresh.result(), int(QDialog::Accepted));
  }

  void csvQuotesTokens() {
    QCOMPARE(csvField(QStringLiteral("cat")), QStringLiteral("cat"));
    QCOMPARE(csvField(QStringLiteral(",")), QStringLiteral("\",\""));
    QCOMPARE(csvField(QStringLiteral("\"")), QStringLiteral("\"\"\"\""));
    QCOMPARE(csvField(QStringLiteral("a\nb")), QStringLiteral("\"a\nb\""));
    QCOMPARE(csvField(QStringLiteral(" x")), QStringLiteral("\" x\""));
    HeatmapData d = HeatmapData::fromValues(2, 2, {0.25f, 0.75f, 1.0f, 0.0f}, {"he said", "\"hi\""}, {",", "ok"});
    d.rowAxis = QStringLiteral("query token");
    d.colAxis = QStringLiteral("key token");
    const QByteArray csv = matrixCsv(d);
    QCOMPARE(csv, QByteArray("query token \\ key token,\",\",ok\r\n"
                             "he said,0.25,0.75\r\n"
                             "\"\"\"hi\"\"\",1,0\r\n"));
  }

  void csvFileAndJsonTrace() {
    const QString csvPath = dir_.filePath(QStringLiteral("m.csv"));
    QVERIFY(writeMatrixCsv(csvPath, sample()).ok);
    QVERIFY(readAll(csvPath).startsWith(",the,cat,sat\r\nthe,0.7,0.2,0.1\r\n"));

    attnviz::test::FakeModel model;
    const attnviz::Trace trace = model.run(attnviz::Input::fromText("the cat"), {});
    const QString jsonPath = dir_.filePath(QStringLiteral("t.json"));
    const SaveResult r = writeTraceJson(jsonPath, trace);
    QVERIFY2(r.ok, qPrintable(r.error));
    const QByteArray json = readAll(jsonPath);
    QVERIFY(json.startsWith("{"));
    QVERIFY(json.endsWith("}\n"));
    QCOMPARE(json.count('\n'), 1);
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
    QVERIFY(doc.isObject());
  }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
