#include "ui/kinds/han/saliency_latex.h"

#include <algorithm>
#include <cmath>

namespace attnviz::ui {
namespace {

// The sentence gutter, as on screen (weight, then a bar growing leftwards from the text): 2.2em + 0.3em + 1.5em
// + 0.2em = the 4.2em that wrapped lines of a sentence are indented by, so they stay clear of its bar.
constexpr double kBarEm = 1.5;        // the largest sentence's bar
constexpr const char* kGutter = "4.2em";

// "r,g,b" in [0, 1] for \colorbox[rgb]: 4 decimals tell every 8-bit value apart (steps of 1/255 = 0.0039).
QString rgb(const QColor& c) {
  auto f = [](int v) { return QString::number(v / 255.0, 'f', 4); };
  return f(c.red()) + QLatin1Char(',') + f(c.green()) + QLatin1Char(',') + f(c.blue());
}

// A comment line: a newline in a model name or label must not end the comment and start LaTeX code.
QString comment(QString text) {
  text.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
  return QStringLiteral("% ") + text + QLatin1Char('\n');
}

}  // namespace

QString latexEscape(const QString& text) {
  QString out;
  out.reserve(text.size() + 8);
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    switch (c.unicode()) {
      case '#': case '$': case '%': case '&': case '_': case '{': case '}':
        out += QLatin1Char('\\') + c;
        break;
      case '~': out += QLatin1String("\\textasciitilde{}"); break;
      case '^': out += QLatin1String("\\textasciicircum{}"); break;
      case '\\': out += QLatin1String("\\textbackslash{}"); break;
      // In the default OT1 font encoding these print as ¡ ¿ — (T1 is right either way).
      case '<': out += QLatin1String("\\textless{}"); break;
      case '>': out += QLatin1String("\\textgreater{}"); break;
      case '|': out += QLatin1String("\\textbar{}"); break;
      // "--" would become a dash, "``" and "!`" quotes: an empty group between them keeps the characters.
      case '-': out += i + 1 < text.size() && text[i + 1] == QLatin1Char('-') ? QLatin1String("-{}") : QLatin1String("-"); break;
      case '`': out += QLatin1String("{`}"); break;
      default:
        if (c.category() != QChar::Other_Control) out += c;  // tabs, newlines, NUL: not for a word's box
    }
  }
  return out;
}

QString saliencyLatex(const HanDocument& doc, const SaliencyStyle& style, const QString& model) {
  if (doc.empty() || doc.sentenceWeights.size() != doc.words.size()) return {};
  const QString prediction = doc.label.isEmpty() ? QStringLiteral("none")
                                                 : QStringLiteral("%1 (p = %2)").arg(doc.label, QString::number(doc.probability, 'f', 3));
  QString tex;
  tex += comment(QStringLiteral("attnviz saliency view: model %1").arg(model));
  tex += comment(QStringLiteral("Prediction: %1%2").arg(prediction, doc.probabilities.isEmpty() ? QString() : QStringLiteral("; ") + doc.probabilities));
  tex += comment(QStringLiteral("Word background: attention, %1, as a share of the document's largest (%2); white text on the darkest.")
                     .arg(style.scaleBySentence ? QStringLiteral("sqrt(sentence weight) x word weight") : QStringLiteral("word weight in its sentence"),
                          QString::number(doc.maxShownWeight(style.scaleBySentence), 'f', 3)));
  tex += comment(QStringLiteral("Left of each sentence: its attention weight and a bar as long as it (the largest: %1em).").arg(kBarEm));
  tex += comment(QStringLiteral("Preamble: \\usepackage{color} (or xcolor) for \\colorbox. Words are UTF-8: with pdfLaTeX use"));
  tex += comment(QStringLiteral("\\usepackage[T1]{fontenc} (and \\usepackage[utf8]{inputenc} before LaTeX 2018); XeLaTeX and LuaLaTeX take it as is."));
  tex += comment(QStringLiteral("Use: \\input{this file} in the document body, e.g. in a figure's \\parbox{\\linewidth}{...}."));
  tex += QStringLiteral("\\begingroup\n");
  // No padding around a box's text: with a \strut in every box the boxes are one line high, so boxes on
  // consecutive lines touch and never overlap; words keep 1pt on either side inside their box instead.
  // Ragged right: justified, a narrow column would stretch the gaps between the boxes.
  tex += QStringLiteral("\\setlength{\\fboxsep}{0pt}%\n\\setlength{\\parindent}{0pt}%\n\\setlength{\\parskip}{2pt}%\n\\raggedright\n");
  tex += QStringLiteral("\\color[rgb]{%1}%\n").arg(rgb(style.foreground));
  tex += QStringLiteral("\\textbf{Prediction: %1}\\par\n").arg(latexEscape(prediction));

  const float top = *std::max_element(doc.sentenceWeights.begin(), doc.sentenceWeights.end());
  const QString bar = rgb(SaliencyPainter::sentenceBarColour());
  const auto colours = SaliencyPainter::wordColours(doc, style, Colouring::Attention);
  for (int s = 0; s < doc.sentenceCount(); ++s) {
    const float weight = doc.sentenceWeights[static_cast<std::size_t>(s)];
    const double fraction = top > 0 && !std::isnan(weight) ? std::clamp(weight / top, 0.0f, 1.0f) : 0.0;
    tex += QStringLiteral("\\hangindent=%1\\hangafter=1\n").arg(QLatin1String(kGutter));
    tex += QStringLiteral("\\makebox[2.2em][r]{\\scriptsize %1}\\hspace{0.3em}\\makebox[%2em][r]{\\textcolor[rgb]{%3}{\\rule{%4em}{1.4ex}}}\\hspace{0.2em}%\n")
               .arg(std::isnan(weight) ? QStringLiteral("n/a") : QString::number(weight, 'f', 2), QString::number(kBarEm), bar,
                    QString::number(kBarEm * fraction, 'f', 3));
    const QStringList& words = doc.words[static_cast<std::size_t>(s)];
    for (int w = 0; w < words.size(); ++w) {
      const SaliencyPainter::WordColours& c = colours[static_cast<std::size_t>(s)][static_cast<std::size_t>(w)];
      QString word = latexEscape(words[w]);
      if (c.ink != style.foreground) word = QStringLiteral("\\textcolor[rgb]{%1}{%2}").arg(rgb(c.ink), word);
      tex += QStringLiteral("\\colorbox[rgb]{%1}{\\strut\\kern1pt %2\\kern1pt}").arg(rgb(c.background), word);
      tex += w + 1 < words.size() ? QLatin1Char(' ') : QLatin1Char('%');
      tex += QLatin1Char('\n');
    }
    tex += QStringLiteral("\\par\n");
  }
  tex += QStringLiteral("\\endgroup\n");
  return tex;
}

}  // namespace attnviz::ui
