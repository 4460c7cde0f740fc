//! Lesson files: `<slug>.<locale>.md`, TOML front matter between `+++` lines, then Markdown.
//! Parsed into validated lessons with errors that name the file and the field, then paired by
//! slug and checked across locales.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::content::{self, Lesson};
use super::dto::{LessonInput, LessonQuestionInput};

/// The lessons that ship with the product (`api/seed/lessons`), embedded at build time.
#[derive(rust_embed::RustEmbed)]
#[folder = "seed/lessons"]
#[allow_missing = true]
struct Builtin;

/// One file's name (no directory) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    /// The slug the file is about, as far as it could be told.
    pub slug: String,
    /// `field: message`.
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

#[derive(Debug)]
pub struct ParsedFile {
    pub file: String,
    pub lesson: Lesson,
}

/// What a set of files yielded: the lessons that passed every rule, and every problem found.
#[derive(Debug, Default)]
pub struct ParsedSet {
    pub lessons: Vec<ParsedFile>,
    pub errors: Vec<FileError>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: String,
    locale: String,
    title: String,
    summary: String,
    category: String,
    minutes: i64,
    cover: String,
    points: i64,
    pass_mark: i64,
    /// Files are published unless they say otherwise.
    published: Option<bool>,
    order: Option<i64>,
    quiz: Vec<LessonQuestionInput>,
}

pub fn builtin_files() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = Builtin::iter()
        .filter(|name| name.ends_with(".md") && !name.contains('/') && name != "README.md")
        .filter_map(|name| {
            let file = Builtin::get(&name)?;
            Some(SourceFile {
                name: name.to_string(),
                text: String::from_utf8_lossy(&file.data).into_owned(),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The `*.md` files of a directory (not its subdirectories; a README is not a lesson).
pub fn read_dir(dir: &std::path::Path) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() || !name.ends_with(".md") || name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{name}: not UTF-8 text"),
            )
        })?;
        files.push(SourceFile {
            name: name.to_string(),
            text,
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Splits `+++\n<toml>\n+++\n<markdown>`.
fn split(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "+++" {
        return None;
    }
    let start = first.len();
    let mut at = start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Some((&text[start..at], &text[at + line.len()..]));
        }
        at += line.len();
    }
    None
}

/// `<slug>.<locale>.md` → (slug, locale).
fn name_parts(name: &str) -> Option<(&str, &str)> {
    let stem = name.strip_suffix(".md")?;
    content::LOCALES
        .iter()
        .find_map(|l| stem.strip_suffix(l)?.strip_suffix('.').map(|s| (s, *l)))
}

/// Parses and validates one file.
pub fn parse_file(file: &SourceFile) -> Result<Lesson, Vec<FileError>> {
    let from_name = name_parts(&file.name);
    let slug_hint = from_name
        .map(|(s, _)| s)
        .unwrap_or_else(|| file.name.split('.').next().unwrap_or(""))
        .to_string();
    let fail = |message: String| FileError {
        file: file.name.clone(),
        slug: slug_hint.clone(),
        message,
    };
    let Some((front, body)) = split(&file.text) else {
        return Err(vec![fail(
            "front matter: the file must start with a line `+++`, then TOML, then a line `+++`"
                .into(),
        )]);
    };
    let fm: FrontMatter = toml::from_str(front).map_err(|e| {
        vec![fail(format!(
            "front matter: {}",
            e.to_string().trim().replace('\n', " ")
        ))]
    })?;
    let input = LessonInput {
        slug: fm.slug,
        locale: fm.locale,
        title: fm.title,
        summary: fm.summary,
        category: fm.category,
        minutes: fm.minutes,
        cover: fm.cover,
        points: fm.points,
        pass_mark: fm.pass_mark,
        published: Some(fm.published.unwrap_or(true)),
        order: fm.order,
        body_md: body.to_string(),
        quiz: fm.quiz,
    };
    let mut errors: Vec<FileError> = Vec::new();
    let lesson = match content::validate(&input) {
        Ok(l) => Some(l),
        Err(fields) => {
            errors.extend(
                fields
                    .into_iter()
                    .map(|e| fail(format!("{}: {}", e.field, e.message))),
            );
            None
        }
    };
    match from_name {
        None => errors.push(fail(
            "file name: name the file <slug>.zh-CN.md or <slug>.en.md".into(),
        )),
        Some((slug, locale)) => {
            if slug != input.slug.trim() {
                errors.push(fail(format!(
                    "slug: \"{}\" differs from the file name's \"{slug}\"",
                    input.slug
                )));
            }
            if locale != input.locale.trim() {
                errors.push(fail(format!(
                    "locale: \"{}\" differs from the file name's \"{locale}\"",
                    input.locale
                )));
            }
        }
    }
    match lesson {
        Some(l) if errors.is_empty() => Ok(l),
        _ => Err(errors),
    }
}

/// Parses every file, then checks each slug's pair of locales.
pub fn parse_set(files: &[SourceFile]) -> ParsedSet {
    let mut set = ParsedSet::default();
    for file in files {
        match parse_file(file) {
            Ok(lesson) => set.lessons.push(ParsedFile {
                file: file.name.clone(),
                lesson,
            }),
            Err(errors) => set.errors.extend(errors),
        }
    }
    let mut by_slug: BTreeMap<&str, Vec<&ParsedFile>> = BTreeMap::new();
    for p in &set.lessons {
        by_slug.entry(&p.lesson.slug).or_default().push(p);
    }
    let mut pair_errors = Vec::new();
    for files in by_slug.values() {
        if let [first, second] = files.as_slice() {
            for e in content::check_pair(&second.lesson, &first.lesson) {
                pair_errors.push(FileError {
                    file: second.file.clone(),
                    slug: second.lesson.slug.clone(),
                    message: format!("{}: {}", e.field, e.message),
                });
            }
        }
    }
    set.errors.extend(pair_errors);
    set
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn lesson_file(slug: &str, locale: &str, points: u32, answers: [u8; 2]) -> SourceFile {
        let (title, prompt) = if locale == "en" {
            ("Beat the heat", "How often should you drink?")
        } else {
            ("高温防中暑", "多久喝一次水？")
        };
        SourceFile {
            name: format!("{slug}.{locale}.md"),
            text: format!(
                r#"+++
slug = "{slug}"
locale = "{locale}"
title = "{title}"
summary = "..."
category = "heat_and_cold"
minutes = 3
cover = "🥵"
points = {points}
pass_mark = 60
published = true

[[quiz]]
id = "q1"
prompt = "{prompt}"
options = ["1", "2", "3"]
answer = {a0}

[[quiz]]
id = "q2"
prompt = "{prompt}"
options = ["1", "2"]
answer = {a1}
+++

## 喝水 / Drink

Call [120](tel:120).
"#,
                a0 = answers[0],
                a1 = answers[1],
            ),
        }
    }

    #[test]
    fn a_pair_parses() {
        let set = parse_set(&[
            lesson_file("heat", "zh-CN", 10, [0, 1]),
            lesson_file("heat", "en", 10, [0, 1]),
        ]);
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        assert_eq!(set.lessons.len(), 2);
        let l = &set.lessons[0].lesson;
        assert_eq!((l.points, l.published, l.quiz.len()), (10, Some(true), 2));
        assert!(l.body_md.starts_with("## 喝水"));
    }

    #[test]
    fn errors_name_file_and_field() {
        let mut bad = lesson_file("heat", "en", 10, [0, 5]);
        bad.text = bad.text.replace("minutes = 3", "minutes = 9");
        let errs: Vec<String> = parse_file(&bad)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errs,
            [
                "heat.en.md: minutes: minutes must be 1–5",
                "heat.en.md: quiz[1].answer: answer is the 0-based index of one of the options"
            ]
        );

        let mut typo = lesson_file("heat", "en", 10, [0, 1]);
        typo.text = typo.text.replace("pass_mark", "passmark");
        let e = parse_file(&typo).unwrap_err();
        assert!(
            e[0].message.starts_with("front matter:") && e[0].message.contains("passmark"),
            "{e:?}"
        );

        let no_front = SourceFile {
            name: "x.en.md".into(),
            text: "## hi".into(),
        };
        assert!(parse_file(&no_front).unwrap_err()[0]
            .message
            .contains("+++"));

        let mut renamed = lesson_file("heat", "en", 10, [0, 1]);
        renamed.name = "cold.zh-CN.md".into();
        let e: Vec<_> = parse_file(&renamed)
            .unwrap_err()
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert!(
            e[0].starts_with("slug:") && e[1].starts_with("locale:"),
            "{e:?}"
        );
        renamed.name = "heat.md".into();
        assert!(parse_file(&renamed).unwrap_err()[0]
            .message
            .starts_with("file name:"));
    }

    #[test]
    fn locales_of_a_slug_must_agree() {
        let set = parse_set(&[
            lesson_file("heat", "en", 20, [0, 0]),
            lesson_file("heat", "zh-CN", 10, [0, 1]),
        ]);
        let errs: Vec<String> = set.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].starts_with("heat.zh-CN.md: points:"), "{errs:?}");
        assert!(
            errs[1].starts_with("heat.zh-CN.md: quiz[1].answer:"),
            "{errs:?}"
        );
    }

    #[test]
    fn front_matter_split() {
        assert_eq!(split("+++\na = 1\n+++\nbody"), Some(("a = 1\n", "body")));
        assert_eq!(
            split("\u{feff}+++\r\na = 1\r\n+++\r\n"),
            Some(("a = 1\r\n", ""))
        );
        assert_eq!(split("+++\na = 1\n"), None);
        assert_eq!(split("a\n+++\n+++\n"), None);
        assert_eq!(name_parts("a-b.zh-CN.md"), Some(("a-b", "zh-CN")));
        assert_eq!(name_parts("a-b.fr.md"), None);
    }

    /// The shipped lessons obey every rule, in both locales, and there are enough of them.
    #[test]
    fn builtin_lessons_are_valid() {
        let files = builtin_files();
        let set = parse_set(&files);
        let errs: Vec<String> = set.errors.iter().map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{}", errs.join("\n"));
        let mut slugs: Vec<&str> = set.lessons.iter().map(|p| p.lesson.slug.as_str()).collect();
        let files_n = slugs.len();
        slugs.dedup();
        assert!(slugs.len() >= 12, "only {} built-in lessons", slugs.len());
        assert_eq!(files_n, slugs.len() * 2, "every lesson in zh-CN and en");
    }
}
