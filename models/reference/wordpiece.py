"""WordPiece tokenization as Hugging Face's BertTokenizer does it (BasicTokenizer + WordpieceTokenizer),
written from the published algorithm (Devlin et al. 2019, google-research/bert tokenization.py, and the
transformers BasicTokenizer with its NFC step). The reference the C++ tokenizer
(engine/models/encoder/wordpiece_tokenizer.cpp) is tested against, and the tokenizer the coreference model
is trained with.

    tok = WordPiece(vocab, lowercase=True)
    tok.tokenize("The animal didn't cross.")   # ['the', 'animal', 'didn', "'", 't', 'cross', '.']
    tok.encode("...")                          # ['[CLS]', ..., '[SEP]'] and their ids

Steps, in order:
1. Special tokens written in the text ([CLS], [SEP], [UNK], [PAD], [MASK] when in the vocabulary) are kept
   whole; the text between them is tokenized as below.
2. Cleaning: NUL, U+FFFD and control characters (category C*, except tab, newline, carriage return) are
   removed; whitespace (space, tab, newline, CR, category Zs) becomes a space.
3. CJK ideographs (the CJK Unified Ideographs blocks and extensions, compatibility ideographs) get spaces
   around them, when tokenize_chinese_chars.
4. NFC normalisation; split on whitespace (Python's str.split()).
5. Per word: lowercase (str.lower()) when do_lower_case; accents stripped (NFD, drop category Mn) when
   strip_accents is True, or when it is None and do_lower_case.
6. Punctuation split: every punctuation character (ASCII 33-47, 58-64, 91-96, 123-126, or category P*)
   is a word of its own.
7. WordPiece: a word longer than max_input_chars_per_word (100) code points is [UNK]; otherwise greedy
   longest match from the left, continuation pieces prefixed "##"; a word with any unmatched rest is [UNK].
"""

import unicodedata

SPECIAL_TOKENS = ("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]")


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or
            0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or
            0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def clean(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or is_control(ch):
            continue
        out.append(" " if is_whitespace(ch) else ch)
    return "".join(out)


def space_cjk(text):
    return "".join(" %s " % ch if is_cjk(ord(ch)) else ch for ch in text)


def strip_accents(text):
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def split_punctuation(word):
    out, current = [], ""
    for ch in word:
        if is_punctuation(ch):
            if current:
                out.append(current)
            out.append(ch)
            current = ""
        else:
            current += ch
    if current:
        out.append(current)
    return out


class WordPiece:
    def __init__(self, vocab, lowercase=True, strip_accents=None, tokenize_chinese_chars=True,
                 max_chars_per_word=100, unk="[UNK]", cls="[CLS]", sep="[SEP]"):
        self.vocab = list(vocab)
        self.ids = {piece: i for i, piece in enumerate(self.vocab)}
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.tokenize_chinese_chars = tokenize_chinese_chars
        self.max_chars_per_word = max_chars_per_word
        self.unk, self.cls, self.sep = unk, cls, sep
        self.specials = sorted((t for t in set(SPECIAL_TOKENS) | {unk, cls, sep} if t in self.ids),
                               key=len, reverse=True)

    def basic_words(self, text):
        """The words after steps 2-6 (special tokens in the text come out whole)."""
        words = []
        for chunk, special in self._split_specials(text):
            words.extend([chunk] if special else self._basic(chunk))
        return words

    def pieces(self, word):
        """Step 7 for one basic word."""
        if word in self.specials:
            return [word]
        if len(word) > self.max_chars_per_word:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = piece
                    break
                end -= 1
            if found is None:
                return [self.unk]
            out.append(found)
            start = end
        return out

    def tokenize(self, text):
        return [p for w in self.basic_words(text) for p in self.pieces(w)]

    def word_pieces(self, text):
        """[(basic word, [its pieces])], for models that need to know which pieces form a word."""
        return [(w, self.pieces(w)) for w in self.basic_words(text)]

    def encode(self, text, max_tokens=512):
        tokens = [self.cls] + self.tokenize(text)[:max_tokens - 2] + [self.sep]
        return tokens, [self.ids[t] for t in tokens]

    def _split_specials(self, text):
        """[(chunk, is_special)]: the text cut at exact occurrences of the special tokens, leftmost longest."""
        out, start, i = [], 0, 0
        while i < len(text):
            match = next((s for s in self.specials if text.startswith(s, i)), None)
            if match is None:
                i += 1
                continue
            if i > start:
                out.append((text[start:i], False))
            out.append((match, True))
            i += len(match)
            start = i
        if start < len(text):
            out.append((text[start:], False))
        return out

    def _basic(self, text):
        text = clean(text)
        if self.tokenize_chinese_chars:
            text = space_cjk(text)
        text = unicodedata.normalize("NFC", text)
        words = []
        for word in text.split():
            if self.lowercase:
                word = word.lower()
                if self.strip_accents is not False:
                    word = strip_accents(word)
            elif self.strip_accents:
                word = strip_accents(word)
            words.extend(split_punctuation(word))
        return words
