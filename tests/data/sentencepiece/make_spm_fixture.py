#!/usr/bin/python3
"""Trains the SentencePiece fixture models and writes what python3-sentencepiece makes of the conformance lines.

Run with Debian's python3 (python3-sentencepiece 0.1.97) from the repository root:
    /usr/bin/python3 tests/data/sentencepiece/make_spm_fixture.py [--keep-model]
(--keep-model: rewrite the expected files from the committed models without retraining; training is deterministic
and gives the same bytes anyway.)
It needs ../shared/data/hansards-wpt03-training (train.e.xz, train.f.xz) beside the repository and writes, in this
folder:
  hansards-unigram.model  a unigram model (4,000 pieces, the default nmt_nfkc normaliser, three user-defined
                          symbols) trained on 60,000 Hansards lines (every 5th of the first 150,000 of each file)
  expected.tsv            one row per conformance line (columns below)
  bytes-identity.model    a second unigram model (400 pieces with the 256 byte pieces, byte_fallback, the identity
                          normaliser, no dummy prefix, whitespace kept) trained on 4,000 of those lines
  expected-bytes-identity.tsv  the same rows for it (every 10th Hansards conformance line and the synthetic ones)
  suffix-identity.model   a third (300 pieces, identity normaliser, treat_whitespace_as_suffix: "▁" ends pieces,
                          one user-defined symbol) and expected-suffix-identity.tsv: every 20th Hansards line, the
                          first 200 synthetic ones
  t5-charsmap.tsv         hashes of what hansards-unigram.model gives when its precompiled charsmap is replaced by
                          the one of ../shared/real-checkpoints/tokenizers/unigram.t5-tiny-random.basaran.tokenizer.json
                          (T5's spiece.model, built by an older SentencePiece): ref, FNV-1a 64 of the line, FNV-1a 64
                          of "<ids as in expected.tsv>\t<every piece, joined by U+0001>\t<spans as in expected.tsv>".
                          The test builds the same model at run time (the charsmap is not stored here).
  decode.tsv              python3-sentencepiece's decode(ids) and decode_pieces(pieces) for each model: random
                          sequences (normal, control, unknown, user-defined and byte pieces; for piece strings also
                          strings not in the vocabulary) and the encodings of the first 100 synthetic lines.
                          Columns: model, ids or pieces, the sequence (ids by commas, pieces escaped by spaces), the
                          text (escaped).
Nothing of ../shared/data is stored but file names, line numbers and hashes; the test reads the lines from there.

Columns of expected.tsv: ref (`text:<escaped text>` or `<file under ../shared/data>:<line, 1-based>`), FNV-1a 64
of the line's UTF-8 bytes, the ids, the pieces of the unknown ids (escaped, space-separated: every other piece is
the model's piece of its id), and the byte spans as `<begin of the first>:<length of each>` (every piece starts where
the one before it ends; the script checks that).

Conformance lines: Hansards lines the model never saw (every 300th of lines 150,001-450,000 of each file, 2,000 in
all), and 600 synthetic lines built here from a fixed word list with a seeded generator, mixing what the nmt_nfkc
normaliser and the unigram lattice must get right: full-width letters and digits, ligatures, no-break and other
spaces, runs of whitespace, accents precomposed and combining, CJK and emoji (unknown to the model, alone and in
runs), the user-defined symbols, and 30 hand-written edge cases.
"""
import io
import lzma
import os
import random
import sys

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'data')
HANSARDS = 'hansards-wpt03-training/train.{}.xz'
TRAIN_LINES, TRAIN_STEP = 150_000, 5
TEST_FIRST, TEST_LAST, TEST_STEP = 150_001, 450_000, 300
USER_DEFINED = ['<sep>', '<mask>', '™']


def fnv64(text):
    h = 0xcbf29ce484222325
    for b in text.encode('utf-8'):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return '%016x' % h


def escape(text):
    """The fixtures' escape (tests/unit/fixture_escape.h): backslash, space, tab and every non-printable or
    non-ASCII-space code point as \\u{HEX}."""
    out = []
    for c in text:
        if c == '\\':
            out.append('\\\\')
        elif c.isspace() or not c.isprintable() or c in ',:':
            out.append('\\u{%X}' % ord(c))
        else:
            out.append(c)
    return ''.join(out)


def read_lines(lang, last):
    lines = []
    with lzma.open(os.path.join(SHARED, HANSARDS.format(lang)), 'rt', encoding='utf-8', newline='\n') as f:
        for line in f:
            lines.append(line.rstrip('\n'))
            if len(lines) == last:
                break
    return lines


WORDS = ('the house minister government question member committee report bill motion vote people canada '
         'today whether should would could must first second third year years million dollars '
         'la chambre ministre gouvernement question député comité rapport projet loi motion vote gens '
         'aujourd\'hui été déjà très où là ça français élève œuvre cœur naïve noël garçon façade '
         'hôpital forêt île âge crème brûlée résumé café déjà-vu Québec Montréal Trois-Rivières').split()
SPECIALS = {
    'fullwidth': list('ＡＢＣａｂｃ０１２３４５６７８９！？（）'),
    'ligature': list('ﬁﬂﬀﬃﬄ'),
    'compat': list('①②③½¼™℃№ⅣⅫ㎏㎞ｶﾞﾅ…'),
    'space': ['\u00a0', '\u2002', '\u2003', '\u2009', '\u3000', '\u202f', '\t', '  ', '   ', ' \u00a0 '],
    'combining': ['e\u0301', 'a\u0300', 'c\u0327', 'o\u0302', 'u\u0308'],
    'cjk': list('中文日本語漢字한국어ひらがなカタカナ'),
    'emoji': ['😀', '🎉', '👍🏽', '❤️', '🇨🇦', '👨‍👩‍👧'],
    'digits': ['2024', '3.14', '1,000,000', '42%', '$19.99', '#1'],
    'user': USER_DEFINED,
    'punct': list('.,;:!?()[]{}«»“”‘’—–-/'),
}
EDGE_CASES = [
    '', ' ', '   ', '\t', '\u00a0', '\u3000\u3000', 'a', ' a ', 'a  b', '  leading and trailing  ',
    'ﬁ', 'ＡＢＣ', '中', '中文', '😀😀😀', 'x中y', '<sep>', '<sep><sep>', ' <mask> ', '™™', 'word™',
    'a\u00a0\u00a0b', 'é', 'e\u0301', '①②③', '\u2028line separator', 'tab\there', 'zero\u200bwidth',
    'soft\u00adhyphen', 'ends with space ',
]


def synthetic_lines(count, seed=20):
    rng = random.Random(seed)
    kinds = sorted(SPECIALS)
    lines = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            if rng.random() < 0.35:
                kind = rng.choice(kinds)
                item = ''.join(rng.choice(SPECIALS[kind]) for _ in range(rng.randint(1, 3)))
                parts.append(item)
            else:
                parts.append(rng.choice(WORDS))
        sep = [' ', ' ', ' ', '', '  ', '\u00a0']
        line = parts[0]
        for p in parts[1:]:
            line += rng.choice(sep) + p
        if rng.random() < 0.2:
            line = rng.choice(SPECIALS['space']) + line
        if rng.random() < 0.2:
            line += rng.choice(SPECIALS['space'])
        lines.append(line)
    return lines


def train(texts, **options):
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(texts), model_writer=model, model_type='unigram',
                                   num_threads=1, minloglevel=2, **options)
    return model.getvalue()


MODELS = {  # file: (training lines step, trainer options, expected file, Hansards rows step, synthetic rows)
    'hansards-unigram.model': (1, dict(vocab_size=4000, user_defined_symbols=USER_DEFINED), 'expected.tsv', 1, 600),
    'bytes-identity.model': (15, dict(vocab_size=400, byte_fallback=True, normalization_rule_name='identity',
                                      add_dummy_prefix=False, remove_extra_whitespaces=False),
                             'expected-bytes-identity.tsv', 10, 600),
    'suffix-identity.model': (15, dict(vocab_size=300, normalization_rule_name='identity',
                                       treat_whitespace_as_suffix=True, user_defined_symbols=['<sep>']),
                              'expected-suffix-identity.tsv', 20, 200),
}


def char_to_byte_offsets(text):
    offsets, n = [0], 0
    for c in text:
        n += len(c.encode('utf-8'))
        offsets.append(n)
    return offsets


def main():
    english = read_lines('e', TEST_LAST)
    french = read_lines('f', TEST_LAST)
    training = english[:TRAIN_LINES:TRAIN_STEP] + french[:TRAIN_LINES:TRAIN_STEP]
    for name, (train_step, options, expected, row_step, synthetic) in MODELS.items():
        path = os.path.join(HERE, name)
        if '--keep-model' not in sys.argv:
            with open(path, 'wb') as f:
                f.write(train(training[::train_step], **options))
        write_expected(spm.SentencePieceProcessor(model_file=path), english, french, expected, row_step, synthetic)
        print('%s: model %d bytes' % (name, os.path.getsize(path)))
    write_t5_hashes(english, french)
    write_decode_cases(MODELS)


T5_TOKENIZER = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'real-checkpoints', 'tokenizers',
                            'unigram.t5-tiny-random.basaran.tokenizer.json')


def with_t5_charsmap(model_bytes):
    """The model with T5's charsmap: a second normalizer_spec (field 3) holding precompiled_charsmap (field 2) merges
    into the first, as protobuf merges a repeated singular message."""
    import base64
    import json

    def find(node):
        if isinstance(node, dict):
            if node.get('type') == 'Precompiled':
                return node
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                found = find(item)
                if found:
                    return found
        return None

    with open(T5_TOKENIZER, encoding='utf-8') as f:
        charsmap = base64.b64decode(find(json.load(f)['normalizer'])['precompiled_charsmap'])

    def varint(v):
        out = b''
        while True:
            out += bytes([(v & 0x7F) | (0x80 if v > 0x7F else 0)])
            v >>= 7
            if not v:
                return out

    def field(number, payload):
        return varint(number << 3 | 2) + varint(len(payload)) + payload

    return model_bytes + field(3, field(2, charsmap))


def row_columns(sp, text):
    """The ids, unknown pieces and spans columns of one row (checked against Python's other outputs)."""
    encoded = sp.encode(text, out_type='immutable_proto')
    ids = [p.id for p in encoded.pieces]
    assert ids == sp.encode(text), text
    pieces = [p.piece for p in encoded.pieces]
    assert pieces == sp.encode(text, out_type=str), text
    # Python's proto gives code point offsets; the engine gives byte offsets.
    to_byte = char_to_byte_offsets(text)
    spans = [(to_byte[p.begin], to_byte[p.end]) for p in encoded.pieces]
    for (_, end), (begin, _) in zip(spans, spans[1:]):
        assert end == begin, text
    for i, p in zip(ids, pieces):
        assert i == sp.unk_id() or p == sp.id_to_piece(i), text
    unknown = [escape(p) for i, p in zip(ids, pieces) if i == sp.unk_id()]
    span_text = '%d:%s' % (spans[0][0], ','.join(str(e - b) for b, e in spans)) if spans else ''
    return [','.join(map(str, ids)), ' '.join(unknown), span_text]


def conformance_rows(english, french, row_step, synthetic):
    rows = []
    for lang, lines in (('e', english), ('f', french)):
        for number in range(TEST_FIRST, TEST_LAST + 1, TEST_STEP * row_step):
            rows.append((HANSARDS.format(lang) + ':' + str(number), lines[number - 1]))
    for text in (EDGE_CASES + synthetic_lines(600 - len(EDGE_CASES)))[:synthetic]:
        rows.append(('text:' + escape(text), text))
    return rows


def write_t5_hashes(english, french):
    with open(os.path.join(HERE, 'hansards-unigram.model'), 'rb') as f:
        sp = spm.SentencePieceProcessor(model_proto=with_t5_charsmap(f.read()))
    rows = conformance_rows(english, french, 10, 600)
    with open(os.path.join(HERE, 't5-charsmap.tsv'), 'w', encoding='utf-8', newline='\n') as out:
        out.write('# ref\tfnv1a64 of the line\tfnv1a64 of ids, pieces (joined by U+0001) and spans joined by tabs\n')
        for ref, text in rows:
            ids, _, spans = row_columns(sp, text)
            pieces = '\x01'.join(sp.encode(text, out_type=str))
            out.write('\t'.join([ref, fnv64(text), fnv64('\t'.join([ids, pieces, spans]))]) + '\n')
    print('t5-charsmap.tsv: %d rows' % len(rows))


JUNK_PIECES = ['zz', '\u2581\u2581x', '\u2581', '<unk>', '<s>', '</s>', '\u2581<sep>', '<0x41>', '<0xZZ>', '\u00e9',
               '\u2581\u2581', 'x\u2581', '<sep>', '\u2581the']


def write_decode_cases(models):
    rng = random.Random(97)
    with open(os.path.join(HERE, 'decode.tsv'), 'w', encoding='utf-8', newline='\n') as out:
        out.write('# model\tids|pieces\tsequence\ttext\n')
        for name in models:
            sp = spm.SentencePieceProcessor(model_file=os.path.join(HERE, name))
            size = sp.get_piece_size()
            special = [i for i in range(size) if sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i)
                       or sp.id_to_piece(i) in USER_DEFINED + ['<sep>']]
            for case in range(300):
                ids = [rng.choice(special) if rng.random() < 0.25 else rng.randrange(size)
                       for _ in range(rng.randint(0, 10))]
                if case % 2 == 0:
                    out.write('\t'.join([name, 'ids', ','.join(map(str, ids)), escape(sp.decode(ids))]) + '\n')
                else:
                    pieces = [rng.choice(JUNK_PIECES) if rng.random() < 0.2 else sp.id_to_piece(i) for i in ids]
                    out.write('\t'.join([name, 'pieces', ' '.join(escape(p) for p in pieces),
                                         escape(sp.decode_pieces(pieces))]) + '\n')
            for text in (EDGE_CASES + synthetic_lines(600 - len(EDGE_CASES)))[:100]:
                ids = sp.encode(text)
                out.write('\t'.join([name, 'ids', ','.join(map(str, ids)), escape(sp.decode(ids))]) + '\n')
    print('decode.tsv written')


def write_expected(sp, english, french, expected, row_step, synthetic):
    rows = conformance_rows(english, french, row_step, synthetic)
    with open(os.path.join(HERE, expected), 'w', encoding='utf-8', newline='\n') as out:
        out.write('# ref\tfnv1a64\tids\tunknown pieces\tspans (begin:length,length,... in bytes of the line)\n')
        for ref, text in rows:
            out.write('\t'.join([ref, fnv64(text)] + row_columns(sp, text)) + '\n')
    print('%s: %d rows, %d pieces' % (expected, len(rows), sp.get_piece_size()))


if __name__ == '__main__':
    main()
