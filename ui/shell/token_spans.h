// token_spans: where a model's tokens lie in the text they came from, so hovering a word of the input
// editor can name its token (and a focused token can be underlined in the editor).
//
//   auto spans = tokenSpans("The cat's mat", {"the", "cat", "'", "s", "mat", "<eos>"});
//   spans[2] == TokenSpan{7, 1};   spans[5].start == -1 (not in the text)
//   int token = tokenAt(spans, 5);  // 1 ("cat")
//
// Tokens are searched in order in a lower-cased copy of the text with typographic quotes and the
// ellipsis normalised the way the tokenizers do; "##" word-piece prefixes are ignored; special tokens
// (<eos>, [CLS], ...) and tokens that cannot be found get no span; an "<unk>" token (a piece the
// vocabulary did not know) spans the text up to the next space or the next known token.
#pragma once

#include <QString>
#include <string>
#include <vector>

namespace attnviz::ui {

struct TokenSpan {
  int start = -1;  // in the original text; -1: no span
  int length = 0;
  bool operator==(const TokenSpan&) const = default;
};

std::vector<TokenSpan> tokenSpans(const QString& text, const std::vector<std::string>& tokens);

// The token whose span contains text position `pos` (a cursor position counts for the character after
// it), -1 when none does.
int tokenAt(const std::vector<TokenSpan>& spans, int pos);

// The text position just after the last character any token covers, 0 when no token has a span: where the model
// stopped reading a text it truncated.
int coveredEnd(const std::vector<TokenSpan>& spans);

}  // namespace attnviz::ui
