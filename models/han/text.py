"""Sentence splitter and tokenizer of the HAN models ("tokenizer": "pang-lee-v2"): raw review text becomes
sentences of tokens the way Pang & Lee's polarity v2.0 data was prepared (one sentence per line, lowercased,
punctuation split off, contractions and hyphenated words kept: "don't", "film's", "sci-fi", "8/10").
engine/models/han/han_text.cpp implements the same rules and is tested against this file.

Tokens (tokenize):
1. Odd spaces (NBSP, narrow NBSP, thin spaces, tabs) become a space; zero-width characters are dropped.
   Typographic apostrophes become ', typographic double quotes, `` and '' become ", a lone ` becomes ', an ellipsis character
   becomes "...", en and em dashes become "--".
2. Lowercase A-Z and the Latin-1 / Latin Extended-A capitals (the seq2seq tokenizer's lower_char).
3. Split on spaces. In each chunk every character of PUNCTUATION is its own token, a run of two or more
   hyphens is one "--" token, and a hyphen at a chunk's edge is its own "-" token ("sci-fi" stays whole).
4. An apostrophe between two letters or digits stays inside the word ("don't", "film's"). At the start of a
   word it stays when a digit follows ("'80s") or the word is a clitic of CLITICS ("'s", "'em"); otherwise,
   and at the end of a word, it is its own "'" token.

Sentences (split_sentences), on the text before lowercasing:
- mode "lines": every non-empty line is one sentence, taken as is (the training data's format);
- mode "split": paragraphs (separated by blank lines) are split after ".", "!", "?" (and runs of them),
  with any closing quotes or brackets that follow, when the next token does not start with a lowercase
  letter; a "." after an abbreviation of ABBREVIATIONS ("Mr.", "Dr.", "etc.") or after a single letter (an
  initial, "J. R. R.", "e.g.") does not end a sentence, nor does an ellipsis unless a capital follows;
- mode "auto" (the default): "lines" when the text has two or more non-empty lines and no line holds more
  than one sentence by the "split" rules, otherwise "split".
Empty sentences are dropped.
"""

SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009", "\u200a", "\u3000", "\t", "\v", "\f", "\r"}
DROPPED = {"\u200b", "\u200c", "\u200d", "\ufeff"}
REPLACED = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "`": "'",
            "\u2026": "...", "\u2013": "--", "\u2014": "--"}
PUNCTUATION = set('.,;:!?()[]{}"*=&<>|~^\\')
FINAL = {".", "!", "?"}
CLOSING = {'"', "'", ")", "]", "}"}
CLITICS = {"'s", "'em", "'n", "'til", "'cause", "'re", "'ve", "'ll", "'d", "'m", "'t"}
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "mt", "ft",
                 "vol", "pp", "gen", "col", "lt", "sgt", "capt", "rev", "hon", "messrs", "jan", "feb", "mar",
                 "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "fig"}


def lower_char(c):
    o = ord(c)
    if o == 0x178:  # Ÿ -> ÿ (checked first: it sits inside the Extended-A range)
        return "\u00ff"
    if 0x41 <= o <= 0x5A or (0xC0 <= o <= 0xDE and o != 0xD7):
        return chr(o + 0x20)
    if 0x100 <= o <= 0x17F:
        if (0x139 <= o <= 0x148) or (0x179 <= o <= 0x17E):
            return chr(o + 1) if o % 2 == 1 else c
        if o in (0x130, 0x131, 0x138, 0x149, 0x17F):
            return c
        return chr(o + 1) if o % 2 == 0 else c
    return c


def normalise(text):
    """Rule 1, keeping case and newlines (sentence splitting needs both). `` and '' become "."""
    out = []
    for c in text.replace("``", '"').replace("''", '"'):
        if c in DROPPED:
            continue
        out.append(" " if c in SPACES else REPLACED.get(c, c))
    return "".join(out)


def is_word_char(c):
    """Letters and digits: ASCII ones, and every character from U+00C0 on except the signs x and / (U+00D7,
    U+00F7), the General Punctuation block and CJK punctuation (so the C++ port needs no Unicode tables)."""
    o = ord(c)
    if o < 0x80:
        return c.isalnum()
    return o >= 0xC0 and o not in (0xD7, 0xF7) and not 0x2000 <= o <= 0x206F and not 0x3000 <= o <= 0x303F


def is_digit(c):
    return "0" <= c <= "9"


def split_chunk(chunk):
    """One space-free chunk (normalised, any case) into tokens (rules 3 and 4)."""
    tokens, current = [], ""
    i, n = 0, len(chunk)
    while i < n:
        c = chunk[i]
        if c in PUNCTUATION:
            if current:
                tokens.append(current)
                current = ""
            tokens.append(c)
        elif c == "-":
            j = i
            while j < n and chunk[j] == "-":
                j += 1
            inside = j - i == 1 and current and j < n and chunk[j] not in PUNCTUATION and chunk[j] != "'"
            if inside:
                current += "-"
            else:
                if current:
                    tokens.append(current)
                    current = ""
                tokens.append("-" if j - i == 1 else "--")
            i = j
            continue
        elif c == "'":
            before = current[-1] if current else ""
            after = chunk[i + 1] if i + 1 < n else ""
            if before and is_word_char(before) and after and is_word_char(after):
                current += c
            elif not current and after and (is_digit(after) or clitic_at(chunk, i)):
                current = c
            else:
                if current:
                    tokens.append(current)
                    current = ""
                tokens.append("'")
        else:
            current += c
        i += 1
    if current:
        tokens.append(current)
    return tokens


def clitic_at(chunk, i):
    """Whether chunk[i:] starts with a clitic of CLITICS that ends the word there."""
    for clitic in CLITICS:
        end = i + len(clitic)
        if lower(chunk[i:end]) == clitic and (end == len(chunk) or not is_word_char(chunk[end])):
            return True
    return False


def cased_tokens(text):
    """Tokens of normalised text, case kept."""
    tokens = []
    for chunk in text.replace("\n", " ").split(" "):
        if chunk:
            tokens.extend(split_chunk(chunk))
    return tokens


def lower(token):
    return "".join(lower_char(c) for c in token)


def tokenize(text):
    """Tokens of one sentence (or any text), lowercased."""
    return [lower(t) for t in cased_tokens(normalise(text))]


def starts_lowercase(token):
    """A Latin small letter: a letter below U+0180 that lower_char leaves as it is."""
    c = token[0]
    return ord(c) < 0x180 and is_word_char(c) and not is_digit(c) and lower_char(c) == c


def starts_uppercase(token):
    """A capital Latin letter (one lower_char changes)."""
    return lower_char(token[0]) != token[0]


def boundaries(tokens):
    """Indexes i such that a sentence ends after tokens[i] (the "split" rules), for cased tokens."""
    ends = []
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i] not in FINAL:
            i += 1
            continue
        j = i
        while j + 1 < n and tokens[j + 1] in FINAL:
            j += 1
        run = tokens[i:j + 1]
        while j + 1 < n and tokens[j + 1] in CLOSING:
            j += 1
        if j + 1 >= n:
            break
        following = tokens[j + 1]
        previous = tokens[i - 1] if i > 0 else ""
        if run == ["."]:
            ends_here = (not starts_lowercase(following) and lower(previous) not in ABBREVIATIONS
                         and not (len(previous) == 1 and is_word_char(previous) and not is_digit(previous)))
        elif all(t == "." for t in run):  # an ellipsis
            ends_here = starts_uppercase(following)
        else:
            ends_here = not starts_lowercase(following)
        if ends_here:
            ends.append(j)
        i = j + 1
    return ends


def split_tokens(tokens):
    sentences, start = [], 0
    for end in boundaries(tokens):
        sentences.append(tokens[start:end + 1])
        start = end + 1
    if start < len(tokens):
        sentences.append(tokens[start:])
    return sentences


def paragraphs(lines):
    current = []
    for line in lines:
        if line.strip(" "):
            current.append(line)
        elif current:
            yield " ".join(current)
            current = []
    if current:
        yield " ".join(current)


def split_sentences(text, mode="auto"):
    """Sentences of a document, each a list of lowercased tokens."""
    if mode not in ("auto", "lines", "split"):
        raise ValueError(f"sentence mode must be auto, lines or split, not {mode!r}")
    lines = normalise(text).split("\n")
    cased = [cased_tokens(line) for line in lines]
    if mode == "auto":
        non_empty = [t for t in cased if t]
        mode = "lines" if len(non_empty) >= 2 and all(not boundaries(t) for t in non_empty) else "split"
    if mode == "lines":
        sentences = [t for t in cased if t]
    else:
        sentences = []
        for paragraph in paragraphs(lines):
            sentences.extend(split_tokens(cased_tokens(paragraph)))
    return [[lower(t) for t in s] for s in sentences if s]


def detokenize(tokens):
    return " ".join(tokens)
