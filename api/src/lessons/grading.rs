//! Grades a quiz submission on the server. The result says which answers were wrong, never
//! which option would have been right.

use super::content::{Question, OPTION_IDS};
use super::dto::AttemptAnswer;
use crate::error::FieldError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graded {
    /// 0–100, rounded.
    pub score: i32,
    pub passed: bool,
    pub correct: i32,
    pub total: i32,
    /// In quiz order.
    pub wrong_question_ids: Vec<String>,
    /// The submitted option index per question, in quiz order (what the attempt row stores).
    pub chosen: Vec<usize>,
}

/// Every question must be answered exactly once with one of its options.
pub fn grade(
    quiz: &[Question],
    pass_mark: i32,
    answers: &[AttemptAnswer],
) -> Result<Graded, Vec<FieldError>> {
    let mut errors = Vec::new();
    if answers.len() != quiz.len() {
        errors.push(FieldError::new(
            "answers",
            "wrong_length",
            format!(
                "answer each of the {} questions exactly once ({} answers given)",
                quiz.len(),
                answers.len()
            ),
        ));
    }
    let mut chosen: Vec<Option<usize>> = vec![None; quiz.len()];
    for (i, a) in answers.iter().enumerate() {
        let Some(qi) = quiz.iter().position(|q| q.id == a.question_id) else {
            errors.push(FieldError::new(
                format!("answers[{i}].question_id"),
                "unknown_question",
                "this lesson has no such question",
            ));
            continue;
        };
        if chosen[qi].is_some() {
            errors.push(FieldError::new(
                format!("answers[{i}].question_id"),
                "duplicate",
                format!("question {} is answered twice", quiz[qi].id),
            ));
            continue;
        }
        let options = quiz[qi].options.len().min(OPTION_IDS.len());
        match OPTION_IDS[..options].iter().position(|o| *o == a.option_id) {
            Some(oi) => chosen[qi] = Some(oi),
            None => errors.push(FieldError::new(
                format!("answers[{i}].option_id"),
                "unknown_option",
                format!(
                    "question {} has options {}",
                    quiz[qi].id,
                    OPTION_IDS[..options].join(", ")
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Same length, no unknown or repeated question: every question has exactly one answer.
    let chosen: Vec<usize> = chosen
        .into_iter()
        .map(|c| c.unwrap_or(usize::MAX))
        .collect();
    let wrong_question_ids: Vec<String> = quiz
        .iter()
        .zip(&chosen)
        .filter(|(q, c)| q.answer != **c)
        .map(|(q, _)| q.id.clone())
        .collect();
    let total = quiz.len() as i32;
    let correct = total - wrong_question_ids.len() as i32;
    let score = if total == 0 {
        0
    } else {
        (correct * 100 + total / 2) / total
    };
    Ok(Graded {
        score,
        // Exact, so a pass mark of 67 is not met by 2 of 3 (66.7 % shown as 67).
        passed: total > 0 && correct * 100 >= pass_mark * total,
        correct,
        total,
        wrong_question_ids,
        chosen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz() -> Vec<Question> {
        (1..=3)
            .map(|i| Question {
                id: format!("q{i}"),
                prompt: "?".into(),
                options: vec!["x".into(), "y".into(), "z".into()],
                answer: i - 1,
            })
            .collect()
    }

    fn a(q: &str, o: &str) -> AttemptAnswer {
        AttemptAnswer {
            question_id: q.into(),
            option_id: o.into(),
        }
    }

    #[test]
    fn scores_and_names_the_wrong_questions() {
        let g = grade(&quiz(), 60, &[a("q3", "c"), a("q1", "a"), a("q2", "c")]).unwrap();
        assert_eq!((g.score, g.passed, g.correct, g.total), (67, true, 2, 3));
        assert_eq!(g.wrong_question_ids, ["q2"]);
        assert_eq!(g.chosen, [0, 2, 2]);
        let g = grade(&quiz(), 67, &[a("q1", "a"), a("q2", "b"), a("q3", "a")]).unwrap();
        assert_eq!((g.score, g.passed), (67, false));
        let g = grade(&quiz(), 100, &[a("q1", "a"), a("q2", "b"), a("q3", "c")]).unwrap();
        assert_eq!(
            (g.score, g.passed, g.wrong_question_ids.len()),
            (100, true, 0)
        );
        let g = grade(&quiz(), 1, &[a("q1", "c"), a("q2", "c"), a("q3", "a")]).unwrap();
        assert_eq!((g.score, g.passed), (0, false));
        assert_eq!(g.wrong_question_ids, ["q1", "q2", "q3"]);
    }

    fn fields(answers: &[AttemptAnswer]) -> Vec<(String, String)> {
        grade(&quiz(), 60, answers)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn bad_submissions_name_the_answer() {
        let f = fields(&[a("q1", "a"), a("q2", "b")]);
        assert_eq!(f, [("answers".into(), "wrong_length".into())]);
        let f = fields(&[a("q1", "a"), a("q1", "b"), a("q3", "a")]);
        assert_eq!(f, [("answers[1].question_id".into(), "duplicate".into())]);
        let f = fields(&[a("q1", "a"), a("q9", "b"), a("q3", "d")]);
        assert_eq!(
            f,
            [
                ("answers[1].question_id".into(), "unknown_question".into()),
                ("answers[2].option_id".into(), "unknown_option".into())
            ]
        );
        let f = fields(&[a("q1", "A"), a("q2", ""), a("q3", "0")]);
        assert_eq!(f.len(), 3);
        assert!(grade(&quiz(), 60, &[]).is_err());
    }
}
