"""Regenerates the hf-*.tsv reference files: random strings tokenized by Hugging Face `tokenizers`
(pip install tokenizers; tested with 0.23.2), configured like the llama.cpp fixture vocabularies.

Usage: python3 hf_reference.py FIXTURES_DIR OUT_DIR
Lines: hex(UTF-8 text) TAB ids (space separated) or pre-tokens (hex, comma separated).
HF tokenizers is an independent implementation that llama.cpp's tokenizers are designed to agree with.
"""
import random
import struct
import sys

from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers


def read_metadata(path):
    data = open(path, 'rb').read()
    off = 0

    def take(fmt):
        nonlocal off
        v = struct.unpack_from('<' + fmt, data, off)[0]
        off += struct.calcsize(fmt)
        return v

    def string():
        nonlocal off
        n = take('Q')
        s = data[off:off + n].decode('utf-8')
        off += n
        return s

    scalar = {0: 'B', 1: 'b', 2: 'H', 3: 'h', 4: 'I', 5: 'i', 6: 'f', 7: '?', 10: 'Q', 11: 'q', 12: 'd'}

    def value(t):
        if t == 8:
            return string()
        if t == 9:
            et, n = take('I'), take('Q')
            return [value(et) for _ in range(n)]
        return take(scalar[t])

    take('I'), take('I'), take('Q')
    meta = {}
    for _ in range(take('Q')):
        key = string()
        meta[key] = value(take('I'))
    return meta


POOL = list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 '\"!?.,;:-_()[]{}<>$+=^~|`@#%&*/\\") + [
    "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\x0b", "\u2003", "é", "ü", "É", "Ω", "ж",
    "中", "文", "가", "😁", "🦙", "\u0301", "\u200d", "\ufe0f", "ក", "ា", "½", "²", "٣", "€", "ß", "ǅ", "ʰ",
    "'S", "'LL", "'re", "'ve", " the", "ing", "Hello"]


def strings(seed, count, max_len):
    rnd = random.Random(seed)
    return [''.join(rnd.choice(POOL) for _ in range(rnd.randint(0, max_len))) for _ in range(count)]


def hexs(s):
    return s.encode('utf-8').hex()


def write(path, rows):
    with open(path, 'w') as f:
        for text, result in rows:
            f.write(hexs(text) + '\t' + result + '\n')


def main(fixtures, out):
    # byte-level BPE, GPT-2 pre-tokenizer
    m = read_metadata(fixtures + '/vocab/ggml-vocab-gpt-2.gguf')
    vocab = {t: i for i, t in enumerate(m['tokenizer.ggml.tokens'])}
    gpt2 = Tokenizer(models.BPE(vocab, [tuple(x.split(' ', 1)) for x in m['tokenizer.ggml.merges']]))
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    texts = strings(11, 250, 30)
    write(out + '/hf-gpt2.tsv', [(s, ' '.join(map(str, gpt2.encode(s).ids))) for s in texts])

    # Llama 3 and Qwen 2 pre-tokenizer regexes as their tokenizer.json give them
    for name, digits in (('llama3', r'\p{N}{1,3}'), ('qwen2', r'\p{N}')):
        split = pre_tokenizers.Split(Regex(r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|" + digits
                                           + r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"), behavior='isolated')
        write(out + '/hf-' + name + '-split.tsv',
              [(s, ','.join(hexs(p) for p, _ in split.pre_tokenize_str(s))) for s in strings(22 + len(name), 250, 30)])

    # SentencePiece BPE (llama): merges from the scores, as transformers' LlamaConverter builds them
    m = read_metadata(fixtures + '/vocab/ggml-vocab-llama-spm.gguf')
    toks, scores = m['tokenizer.ggml.tokens'], m['tokenizer.ggml.scores']
    vocab = {t: i for i, t in enumerate(toks)}
    merges = []
    for i, t in enumerate(toks):
        local = [(t[:k], t[k:], scores[i]) for k in range(1, len(t)) if t[:k] in vocab and t[k:] in vocab]
        merges.extend(sorted(local, key=lambda x: (vocab[x[0]], vocab[x[1]])))
    merges.sort(key=lambda x: x[2], reverse=True)
    spm = Tokenizer(models.BPE(vocab, [(a, b) for a, b, _ in merges], unk_token='<unk>', byte_fallback=True, fuse_unk=True))
    spm.normalizer = normalizers.Sequence([normalizers.Prepend('\u2581'), normalizers.Replace(' ', '\u2581')])
    # the empty string is left out: HF still prepends the space mark, llama.cpp does not
    texts = [s for s in strings(33, 260, 30) if s][:250]
    write(out + '/hf-spm.tsv', [(s, ' '.join(map(str, spm.encode(s, add_special_tokens=False).ids))) for s in texts])

    # WordPiece (bert): the GGUF writes word-initial pieces with U+2581 and ## continuations bare
    m = read_metadata(fixtures + '/vocab/ggml-vocab-bert-bge.gguf')
    vocab = {}
    for i, t in enumerate(m['tokenizer.ggml.tokens']):
        if t.startswith('\u2581'):
            hf = t[1:]
        elif m['tokenizer.ggml.token_type'][i] == 3 or (t.startswith('[') and t.endswith(']')):
            hf = t
        else:
            hf = '##' + t
        vocab.setdefault(hf, i)
    bert = Tokenizer(models.WordPiece(vocab, unk_token='[UNK]', max_input_chars_per_word=100))
    bert.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=True, lowercase=True)
    bert.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    # left out where llama.cpp differs from HF: it keeps lone combining marks, reduces Hangul syllables to their
    # first jamo, and takes the control characters U+0085 and VT and the separator U+2028 as whitespace
    rnd = random.Random(44)
    pool = [c for c in POOL if c not in ('\u0301', '\ufe0f', 'ា', '가', '\u0085', '\x0b', '\u2028')]
    texts = [''.join(rnd.choice(pool) for _ in range(rnd.randint(0, 30))) for _ in range(250)]
    write(out + '/hf-bert.tsv', [(s, ' '.join(map(str, bert.encode(s, add_special_tokens=False).ids))) for s in texts])


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
