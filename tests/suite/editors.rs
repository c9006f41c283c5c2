//! The editor grammars know every statement keyword the compiler knows.

use crate::support::root;

#[test]
fn editor_grammars_cover_every_statement_keyword() {
    let tm =
        std::fs::read_to_string(root().join("editors/vscode/syntaxes/taskflow.tmLanguage.json"))
            .unwrap();
    let grammar: serde_json::Value = serde_json::from_str(&tm).unwrap();
    let statement = grammar["repository"]["statement"]["match"]
        .as_str()
        .unwrap();
    let vim = std::fs::read_to_string(root().join("editors/vim/syntax/taskflow.vim")).unwrap();
    let vim_line = vim
        .lines()
        .find(|l| l.starts_with("syn keyword taskflowStatement"))
        .unwrap();
    let vim_words: Vec<&str> = vim_line.split_whitespace().skip(3).collect();
    for kw in tfc::syntax::table::KEYWORDS.iter().copied() {
        let escaped = kw.replace('-', "\\-");
        assert!(
            statement.contains(kw) || statement.contains(&escaped),
            "the TextMate grammar lacks `{kw}`"
        );
        assert!(vim_words.contains(&kw), "the Vim syntax lacks `{kw}`");
    }
    let package: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("editors/vscode/package.json")).unwrap(),
    )
    .unwrap();
    let path = package["contributes"]["grammars"][0]["path"]
        .as_str()
        .unwrap();
    assert!(root().join("editors/vscode").join(path).is_file());
}
