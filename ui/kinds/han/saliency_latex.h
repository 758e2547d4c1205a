// SaliencyLatex: the saliency view (han) as a LaTeX snippet for a paper — each word in a \colorbox of the
// colour the screen paints it (SaliencyPainter::wordColours), a red bar and the weight left of each sentence
// (its sentence attention), the prediction on top, and a comment header naming the model, the prediction and
// what the preamble needs. Pure: HanDocument + style in, text out; SaliencyPanel::exportData("tex") returns it.
//
//   const QString tex = saliencyLatex(doc, style, QStringLiteral("han-movie-reviews (han)"));
//   // in the paper:  \usepackage{color}  (or xcolor) ...  \input{review.tex}
//
// Only the `color` package is needed (in texlive-latex-base; xcolor works too): colours are given as
// [rgb]{r,g,b} with 4 decimals, exact to the 8-bit colours on screen. Words are passed through as UTF-8.
#pragma once

#include <QString>

#include "ui/kinds/han/han_document.h"
#include "ui/kinds/han/saliency_painter.h"

namespace attnviz::ui {

// The snippet for the attention colouring of `doc` (style.scaleBySentence as on screen; highlights are left out).
// `model` names the model in the header comment. Empty when the document is empty or its sentence weights do not
// match its sentences (nothing to typeset).
QString saliencyLatex(const HanDocument& doc, const SaliencyStyle& style, const QString& model);

// Text for LaTeX's paragraph mode: # $ % & _ { } ~ ^ \ < > | escaped, "--" and "``" ligatures broken,
// control characters dropped; everything else (UTF-8 letters) as it is.
QString latexEscape(const QString& text);

}  // namespace attnviz::ui
