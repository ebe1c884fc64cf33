//! `unspin classify`: name the technique of spans someone else found (the SemEval-2020 TC task).
//!
//! Reads a template (`article_id<TAB>?<TAB>start<TAB>end`, char offsets into
//! `DIR/article<ID>.txt`) and writes the same lines in the same order with the technique filled
//! in. A span listed twice (it carries two techniques) gets the model's best label on its first
//! line and the second-best on the next, as the TC scorer matches repeated spans.

use std::collections::HashMap;
use std::io::{self, BufWriter};
use std::ops::Range;

use anyhow::{bail, Context};
use unspin::detect::Technique;
use unspin::eval::labels::{self, ArticleSpan};
use unspin::CharIndex;

use crate::args::ClassifyArgs;
use crate::config::load_model;

/// For a span with no word in it the model has nothing to read; the most frequent technique in
/// the training data is the best guess.
const FALLBACK: Technique = Technique::LoadedLanguage;

pub fn run(args: &ClassifyArgs) -> anyhow::Result<()> {
    let template = labels::read_template(&args.spans).context("reading the span template")?;
    if !args.articles.is_dir() {
        bail!("{}: not a directory of article<ID>.txt files", args.articles.display());
    }
    let model = load_model(&args.model, 1)?;
    // Template lines of each article, in template order.
    let mut by_article: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, span) in template.iter().enumerate() {
        let k = *seen.entry(span.article.as_str()).or_insert_with(|| {
            by_article.push((span.article.as_str(), Vec::new()));
            by_article.len() - 1
        });
        by_article[k].1.push(i);
    }
    let mut answer = vec![FALLBACK; template.len()];
    for (article, lines) in &by_article {
        let path = args.articles.join(format!("article{article}.txt"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {} (named in the template)", path.display()))?;
        let index = CharIndex::new(&text);
        let ranges: Vec<Range<usize>> = lines
            .iter()
            .map(|&i| byte_range(&index, &template[i]).with_context(|| format!("{}: span {}", args.spans.display(), template[i])))
            .collect::<anyhow::Result<_>>()?;
        let ranked = model.classify(&text, &ranges)?;
        let mut repeat: HashMap<(usize, usize), usize> = HashMap::new();
        for (&i, options) in lines.iter().zip(ranked) {
            let span = &template[i];
            let k = repeat.entry((span.start, span.end)).or_insert(0);
            if let Some((technique, _)) = options.get(*k).or(options.first()) {
                answer[i] = *technique;
            }
            *k += 1;
        }
    }
    labels::write_tc(BufWriter::new(io::stdout().lock()), &template, |i, _| answer[i])?;
    Ok(())
}

fn byte_range(index: &CharIndex<'_>, span: &ArticleSpan) -> anyhow::Result<Range<usize>> {
    match index.span_from_chars(span.start..span.end) {
        Some(s) => Ok(s.bytes()),
        None => bail!("offsets {}..{} are outside the article ({} characters)", span.start, span.end, index.char_len()),
    }
}
