// The saliency view as a LaTeX snippet (saliency_latex.h): every special character escaped, each word's box in
// the colour the screen paints it, sentence bars, a header that no newline can break out of, and — when
// pdflatex is installed (texlive-latex-base; quickstart.sh test installs it) — the snippet compiles inside a
// minimal document with nothing but the `color` package (kept as saliency-latex.pdf in $ATTNVIZ_SHOT_DIR, default
// /tmp, for people to look at). Through the window: the Saliency tab writes it as
// .tex data, other tabs refuse .tex with a message.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/han/saliency_latex.h"
#include "ui/kinds/han/saliency_panel.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

// Two sentences; the first holds every character LaTeX treats specially, the second UTF-8 letters and a dash.
HanDocument specialDocument() {
  HanDocument d;
  d.words = {QStringList{QStringLiteral("#1"), QStringLiteral("$5"), QStringLiteral("100%"), QStringLiteral("R&D"),
                         QStringLiteral("snake_case"), QStringLiteral("{x}"), QStringLiteral("~home"), QStringLiteral("x^2"),
                         QStringLiteral("C:\\dir"), QStringLiteral("a<b>c|d"), QStringLiteral("--"), QStringLiteral("``q''")},
             QStringList{QStringLiteral("café"), QStringLiteral("naïve"), QStringLiteral("über"), QStringLiteral("—"), QStringLiteral(".")}};
  d.wordWeights = {{0.30f, 0.02f, 0.05f, 0.10f, 0.03f, 0.05f, 0.05f, 0.10f, 0.05f, 0.10f, 0.05f, 0.10f},
                   {0.10f, 0.50f, 0.20f, 0.15f, 0.05f}};
  d.sentenceWeights = {0.7f, 0.3f};
  d.label = QStringLiteral("pos_itive");
  d.probability = 0.93f;
  d.probabilities = QStringLiteral("neg 0.070 · pos_itive 0.930");
  return d;
}

QString rgb(const QColor& c) {
  auto f = [](int v) { return QString::number(v / 255.0, 'f', 4); };
  return f(c.red()) + QLatin1Char(',') + f(c.green()) + QLatin1Char(',') + f(c.blue());
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestSaliencyLatex : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void escapesEverySpecialCharacter() {
    QCOMPARE(latexEscape(QStringLiteral("# $ % & _ { }")), QStringLiteral("\\# \\$ \\% \\& \\_ \\{ \\}"));
    QCOMPARE(latexEscape(QStringLiteral("~^\\")), QStringLiteral("\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"));
    QCOMPARE(latexEscape(QStringLiteral("<>|")), QStringLiteral("\\textless{}\\textgreater{}\\textbar{}"));
    QCOMPARE(latexEscape(QStringLiteral("a--b---c-d")), QStringLiteral("a-{}-b-{}-{}-c-d"));
    QCOMPARE(latexEscape(QStringLiteral("``x")), QStringLiteral("{`}{`}x"));
    QCOMPARE(latexEscape(QStringLiteral("tab\there\nnul")), QStringLiteral("tabherenul"));
    QCOMPARE(latexEscape(QStringLiteral("café — ü")), QStringLiteral("café — ü"));  // UTF-8 passes through
    QCOMPARE(latexEscape(QStringLiteral("\\textbf{x}")), QStringLiteral("\\textbackslash{}textbf\\{x\\}"));
  }

  void snippetColoursWordsAsTheScreen() {
    const HanDocument doc = specialDocument();
    SaliencyStyle style;
    const QString tex = saliencyLatex(doc, style, QStringLiteral("han-test (v1)"));
    QVERIFY(tex.startsWith(QStringLiteral("% attnviz saliency view: model han-test (v1)\n")));
    QVERIFY(tex.contains(QStringLiteral("% Prediction: pos_itive (p = 0.930); neg 0.070 · pos_itive 0.930\n")));
    QVERIFY(tex.contains(QStringLiteral("\\usepackage{color}")));
    QVERIFY(tex.contains(QStringLiteral("\\usepackage[T1]{fontenc}")));
    QVERIFY(tex.contains(QStringLiteral("\\setlength{\\fboxsep}{0pt}")));
    QVERIFY(tex.contains(QStringLiteral("\\raggedright")));
    QVERIFY(tex.contains(QStringLiteral("\\textbf{Prediction: pos\\_itive (p = 0.930)}")));  // escaped in the body
    QCOMPARE(tex.count(QStringLiteral("\\colorbox[rgb]")), 12 + 5);
    QCOMPARE(tex.count(QStringLiteral("\\rule{")), 2);  // a bar per sentence
    QVERIFY(tex.contains(QStringLiteral("\\rule{1.500em}")));  // the largest sentence: a full bar
    QVERIFY(tex.contains(QStringLiteral("\\rule{0.643em}")));  // 0.3 / 0.7 of it
    QVERIFY(tex.contains(QStringLiteral("{\\scriptsize 0.70}")));
    QVERIFY(tex.contains(rgb(SaliencyPainter::sentenceBarColour())));
    // Each word's box is the colour the painter gives it; the strongest word's text is white, as on screen.
    const auto colours = SaliencyPainter::wordColours(doc, style, Colouring::Attention);
    QCOMPARE(colours[0][1].background, SaliencyPainter::wordBackground(doc, style, Colouring::Attention, 0, 1));
    for (int s = 0; s < doc.sentenceCount(); ++s) {
      for (int w = 0; w < doc.wordCount(s); ++w) {
        const auto& c = colours[static_cast<std::size_t>(s)][static_cast<std::size_t>(w)];
        QString inner = latexEscape(doc.words[static_cast<std::size_t>(s)][w]);
        if (c.ink != style.foreground) inner = QStringLiteral("\\textcolor[rgb]{%1}{%2}").arg(rgb(c.ink), inner);
        const QString box = QStringLiteral("\\colorbox[rgb]{%1}{\\strut\\kern1pt %2\\kern1pt}").arg(rgb(c.background), inner);
        QVERIFY2(tex.contains(box), qPrintable(box));
      }
    }
    QVERIFY(tex.contains(QStringLiteral("\\textcolor[rgb]{1.0000,1.0000,1.0000}{\\#1}")));  // 0.3 x sqrt(0.7): the top word
    // The same colours as the pixels the screen paints: a corner of a word's box (its padding, no text there).
    QImage screen(800, 400, QImage::Format_RGB32);
    QPainter painter(&screen);
    SaliencyPainter::paint(painter, QRectF(0, 0, 800, 400), doc, style);
    painter.end();
    const SaliencyLayout layout = SaliencyPainter::layout(doc, SaliencyPainter::columnWidth(800, style), style);
    for (const auto& [s, w] : {std::pair{0, 0}, std::pair{0, 3}, std::pair{1, 1}, std::pair{1, 4}}) {
      const QRectF box = SaliencyPainter::wordRect(layout, style, 0, s, w).translated(0, SaliencyPainter::headerHeight(style));
      const QColor painted = screen.pixelColor(box.topLeft().toPoint() + QPoint(1, 1));
      const QString word = latexEscape(doc.words[static_cast<std::size_t>(s)][w]);
      QVERIFY2(tex.contains(QStringLiteral("\\colorbox[rgb]{%1}{\\strut\\kern1pt ").arg(rgb(painted))), qPrintable(word));
    }
    QVERIFY(tex.contains(QStringLiteral("{\\strut\\kern1pt C:\\textbackslash{}dir\\kern1pt}")));
    // Unscaled: the word weight within its sentence decides ("naïve", 0.5, is now the top word).
    style.scaleBySentence = false;
    const QString unscaled = saliencyLatex(doc, style, QStringLiteral("m"));
    QVERIFY(unscaled.contains(QStringLiteral("\\textcolor[rgb]{1.0000,1.0000,1.0000}{naïve}")));
    QVERIFY(unscaled.contains(QStringLiteral("word weight in its sentence")));
    QVERIFY(saliencyLatex(HanDocument{}, SaliencyStyle{}, QStringLiteral("m")).isEmpty());
  }

  void headerCannotBeBrokenOutOf() {
    HanDocument doc = specialDocument();
    doc.label = QStringLiteral("x\n\\input{/etc/passwd}");
    const QString tex = saliencyLatex(doc, SaliencyStyle{}, QStringLiteral("evil\n\\def\\x{}"));
    for (const QString& line : tex.split(QLatin1Char('\n'))) {
      QVERIFY2(!line.startsWith(QStringLiteral("\\input")) && !line.startsWith(QStringLiteral("\\def")), qPrintable(line));
    }
    QVERIFY(tex.contains(QStringLiteral("\\textbf{Prediction: x\\textbackslash{}input\\{/etc/passwd\\} (p = 0.930)}")));
  }

  void snippetCompilesWithPdflatex() {
    const QString pdflatex = QStandardPaths::findExecutable(QStringLiteral("pdflatex"));
    if (pdflatex.isEmpty())
      QSKIP("pdflatex is not installed, so the snippet was not compiled (apt-get install texlive-latex-base, as quickstart.sh test does)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile snippet(dir.filePath(QStringLiteral("snippet.tex")));
    QVERIFY(snippet.open(QIODevice::WriteOnly));
    snippet.write(saliencyLatex(specialDocument(), SaliencyStyle{}, QStringLiteral("han-test")).toUtf8());
    snippet.close();
    QFile main(dir.filePath(QStringLiteral("main.tex")));
    QVERIFY(main.open(QIODevice::WriteOnly));
    // Nothing but what the header asks for (the `color` package); a narrow text block makes sentences wrap.
    main.write("\\documentclass{article}\n\\usepackage{color}\n\\begin{document}\n"
               "\\parbox{6cm}{\\input{snippet.tex}}\n\n\\input{snippet.tex}\n\\end{document}\n");
    main.close();
    QProcess tex;
    tex.setWorkingDirectory(dir.path());
    tex.setProcessChannelMode(QProcess::MergedChannels);
    tex.start(pdflatex, {QStringLiteral("-halt-on-error"), QStringLiteral("-interaction=nonstopmode"), QStringLiteral("main.tex")});
    QVERIFY(tex.waitForFinished(120000));
    const QString log = QString::fromUtf8(tex.readAll());
    QVERIFY2(tex.exitStatus() == QProcess::NormalExit && tex.exitCode() == 0, qPrintable(log.right(3000)));
    QVERIFY(readAll(dir.filePath(QStringLiteral("main.pdf"))).startsWith("%PDF"));
    const QString shotDir = qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp"));
    const QString kept = QDir(shotDir).filePath(QStringLiteral("saliency-latex.pdf"));  // for people to look at
    QFile::remove(kept);
    QVERIFY(QFile::copy(dir.filePath(QStringLiteral("main.pdf")), kept));
    qInfo("compiled snippet: %s", qPrintable(kept));
    // No character fell out of the font (a missing glyph is only a warning in the log).
    QVERIFY2(!readAll(dir.filePath(QStringLiteral("main.log"))).contains("Missing character"), qPrintable(log.right(3000)));
  }

  void windowWritesItAsData() {
    MainWindow w;
    Workspace* ws = w.workspace();
    ws->setDebounceMs(0);
    ws->addModel(std::make_shared<attnviz::test::FakeHan>(), QStringLiteral("fake:han"));
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.editor()->setPlainText(QStringLiteral("The plot was dull & slow.\nI loved 100% of the final scene."));
    auto* saliency = qobject_cast<SaliencyPanel*>(w.panelArea()->panel(QStringLiteral("saliency")));
    QVERIFY(saliency);
    QTRY_VERIFY_WITH_TIMEOUT(!saliency->view()->document().empty(), 10000);
    const auto& panels = w.panelArea()->panels();
    const int index = static_cast<int>(std::find(panels.begin(), panels.end(), saliency) - panels.begin());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("review.tex"));
    QVERIFY(w.exportDataTo(path, index).ok);
    const QString tex = QString::fromUtf8(readAll(path));
    QVERIFY(tex.startsWith(QStringLiteral("% attnviz saliency view: model fake-han (fake)")));
    QVERIFY(tex.contains(QStringLiteral("\\&")));
    QVERIFY(tex.contains(QStringLiteral("100\\%")));
    QCOMPARE(saliency->exportData(QStringLiteral("tex")), tex.toUtf8());
    QVERIFY(saliency->exportData(QStringLiteral("json")).isEmpty());  // JSON stays the window's trace
    // The heatmap tab has no LaTeX: a message, and no file (not the trace's JSON under a .tex name).
    const int heatmap = static_cast<int>(std::find(panels.begin(), panels.end(), w.panelArea()->panel(QStringLiteral("heatmap"))) -
                                         panels.begin());
    const QString other = dir.filePath(QStringLiteral("heatmap.tex"));
    const SaveResult r = w.exportDataTo(other, heatmap);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("LaTeX")), qPrintable(r.error));
    QVERIFY(!QFile::exists(other));
  }
};

QTEST_MAIN(TestSaliencyLatex)
#include "test_saliency_latex.moc"
