//! The README's rules on the shape of the code, checked on the source itself (tests only):
//!
//! - every `crate::…` path in a module of `app` names a module of its own layer or of a
//!   lower one ([`LAYERS`], top first);
//! - no module of `app` or of `server` imports one that imports it back, directly or
//!   through others;
//! - no Rust source file is over 600 lines, its tests aside.
//!
//! A path is followed through the re-exports of a `mod.rs` (`pub use session::CurrentUser`)
//! to the module that defines the item, so that importing `crate::backend::Db` depends on
//! `backend::db`, not on every module `backend` declares.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers of `app`, from the top. A module may import modules of its own layer and of
/// the layers below it, never above. `""` is the crate root (`lib.rs`).
const LAYERS: [(&str, &[&str]); 8] = [
    ("the routes", &["", "app", "architecture"]),
    ("pages", &["pages"]),
    ("components", &["components"]),
    ("server functions", &["api"]),
    ("backend", &["backend"]),
    ("e-mails and receipts", &["mail", "receipt"]),
    ("wire types", &["model"]),
    (
        "domain",
        &[
            "domain",
            "procedures",
            "error",
            "language",
            "access",
            "i18n",
        ],
    ),
];

/// Modules generated at build time (no file under `src/`): `i18n` from the locale files.
const GENERATED: [&str; 1] = ["i18n"];

const MAX_LINES: usize = 600;

/// One module: what it imports, and how big its file is.
#[derive(Debug, Default)]
struct Module {
    file: String,
    /// The code, without comments and without its `#[cfg(test)] mod tests`.
    code: String,
    /// Lines of the file before its tests.
    lines: usize,
    children: BTreeSet<String>,
    /// `pub use child::Name` (or `{A, B}`): Name → the child's full module path.
    reexports: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
struct Crate {
    modules: BTreeMap<String, Module>,
}

/// `backend/session.rs` → `backend::session`; `backend/mod.rs` → `backend`; `lib.rs` → ``.
fn module_path(file: &str) -> String {
    let stem = file.trim_end_matches(".rs");
    let mut parts: Vec<&str> = stem.split('/').collect();
    if matches!(parts.last(), Some(&("mod" | "lib" | "main"))) {
        parts.pop();
    }
    parts.join("::")
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}::{child}")
    }
}

fn parent(module: &str) -> &str {
    module.rsplit_once("::").map_or("", |(parent, _)| parent)
}

/// The source before its unit tests.
fn without_tests(source: &str) -> &str {
    let mut offset = 0;
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.starts_with("#[cfg(")
            && line.contains("test")
            && lines
                .get(i + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            return &source[..offset];
        }
        offset += line.len();
    }
    source
}

/// The code without `//` comments (a `//` inside a string on the same line cuts the rest
/// of that line, which at worst hides an import written after a URL).
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| {
            let mut in_string = false;
            let bytes = line.as_bytes();
            let mut cut = line.len();
            for i in 0..bytes.len() {
                match bytes[i] {
                    b'"' if i == 0 || bytes[i - 1] != b'\\' => in_string = !in_string,
                    b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                        cut = i;
                        break;
                    }
                    _ => {}
                }
            }
            &line[..cut]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a `use` tree or a path expression starting at `text` names, each as its
/// segments: `a::{b, c::D}` → `[a, b]`, `[a, c, D]`.
fn paths_at(text: &str) -> Vec<Vec<String>> {
    fn tree(
        chars: &[char],
        mut i: usize,
        prefix: Vec<String>,
        out: &mut Vec<Vec<String>>,
    ) -> usize {
        let mut path = prefix;
        loop {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '{' {
                i += 1;
                loop {
                    i = tree(chars, i, path.clone(), out);
                    while i < chars.len() && chars[i].is_whitespace() {
                        i += 1;
                    }
                    match chars.get(i) {
                        Some(',') => i += 1,
                        Some('}') => return i + 1,
                        _ => return i,
                    }
                    while i < chars.len() && chars[i].is_whitespace() {
                        i += 1;
                    }
                    if chars.get(i) == Some(&'}') {
                        return i + 1;
                    }
                }
            }
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            if i > start {
                path.push(chars[start..i].iter().collect());
            }
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
                continue;
            }
            if !path.is_empty() {
                out.push(path);
            }
            return i;
        }
    }
    let chars: Vec<char> = text.chars().take(2000).collect();
    let mut out = Vec::new();
    tree(&chars, 0, Vec::new(), &mut out);
    out
}

/// Every path the code names after `anchor` (`crate::`, `super::`, `child::`), where the
/// anchor is not the tail of a longer path or identifier.
fn paths_after(code: &str, anchor: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(anchor) {
        let at = from + found;
        let before = code[..at].chars().next_back();
        if !before.is_some_and(|c| is_ident(c) || c == ':') {
            out.extend(paths_at(&code[at + anchor.len()..]));
        }
        from = at + anchor.len();
    }
    out
}

impl Crate {
    /// `files`: (path under `src/`, content).
    fn from_sources(files: &[(String, String)]) -> Self {
        let mut modules = BTreeMap::new();
        for (file, source) in files {
            let before_tests = without_tests(source);
            modules.insert(
                module_path(file),
                Module {
                    file: file.clone(),
                    code: without_comments(before_tests),
                    lines: before_tests.lines().count(),
                    ..Module::default()
                },
            );
        }
        let names: BTreeSet<String> = modules.keys().cloned().collect();
        for (path, module) in &mut modules {
            module.children = names
                .iter()
                .filter(|other| !other.is_empty() && parent(other) == path && *other != path)
                .map(|child| child.rsplit("::").next().unwrap_or(child).to_string())
                .collect();
            for child in module.children.clone() {
                for anchor in [
                    format!("pub use {child}::"),
                    format!("pub(crate) use {child}::"),
                ] {
                    for found in paths_after(&module.code, &anchor) {
                        if let Some(name) = found.last() {
                            module.reexports.insert(name.clone(), join(path, &child));
                        }
                    }
                }
            }
        }
        Crate { modules }
    }

    fn read(src: &Path) -> Self {
        fn walk(dir: &Path, src: &Path, out: &mut Vec<(String, String)>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|entry| entry.expect("a directory entry").path())
                .collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    walk(&path, src, out);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    let relative = path
                        .strip_prefix(src)
                        .expect("under src")
                        .to_string_lossy()
                        .replace('\\', "/");
                    // A binary's main.rs is a crate of its own, above the library.
                    if relative != "main.rs" {
                        let source = std::fs::read_to_string(&path).expect("a source file");
                        out.push((relative, source));
                    }
                }
            }
        }
        let mut files = Vec::new();
        walk(src, src, &mut files);
        Crate::from_sources(&files)
    }

    /// The module a path names: its longest prefix that is a module, followed through
    /// re-exports. `None` for paths outside the crate's modules (items of the root, macros).
    fn resolve(&self, segments: &[String]) -> Option<String> {
        if let Some(first) = segments.first() {
            if GENERATED.contains(&first.as_str()) {
                return Some(first.clone());
            }
        }
        let mut module = String::new();
        let mut rest = segments;
        while let Some((head, tail)) = rest.split_first() {
            let next = join(&module, head);
            if self.modules.contains_key(&next) {
                module = next;
                rest = tail;
            } else if let Some(target) = self
                .modules
                .get(&module)
                .and_then(|m| m.reexports.get(head))
            {
                module = target.clone();
                rest = tail;
            } else {
                break;
            }
        }
        (!module.is_empty() || segments.is_empty()).then_some(module)
    }

    /// Who imports whom: module → the modules it names, itself aside.
    fn imports(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (path, module) in &self.modules {
            let mut named: Vec<Vec<String>> = paths_after(&module.code, "crate::");
            let base: Vec<String> = parent(path)
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            for found in paths_after(&module.code, "super::") {
                named.push(base.iter().cloned().chain(found).collect());
            }
            let own: Vec<String> = path
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            for child in &module.children {
                for found in paths_after(&module.code, &format!("{child}::")) {
                    let mut full = own.clone();
                    full.push(child.clone());
                    full.extend(found);
                    named.push(full);
                }
            }
            let targets = edges.entry(path.clone()).or_default();
            for segments in named {
                if let Some(target) = self.resolve(&segments) {
                    if &target != path {
                        targets.insert(target);
                    }
                }
            }
        }
        edges
    }

    /// Groups of modules that import each other (strongly connected components of more
    /// than one module), each sorted.
    fn cycles(&self) -> Vec<Vec<String>> {
        let edges = self.imports();
        // Two modules are in one cycle when each reaches the other.
        let reach = |from: &String| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.clone()];
            while let Some(module) = stack.pop() {
                for next in edges.get(&module).into_iter().flatten() {
                    if seen.insert(next.clone()) {
                        stack.push(next.clone());
                    }
                }
            }
            seen
        };
        let reachable: BTreeMap<&String, BTreeSet<String>> =
            edges.keys().map(|m| (m, reach(m))).collect();
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut placed = BTreeSet::new();
        for (module, reaches) in &reachable {
            if placed.contains(*module) || !reaches.contains(*module) {
                continue;
            }
            let group: Vec<String> = reaches
                .iter()
                .filter(|other| reachable.get(other).is_some_and(|r| r.contains(*module)))
                .cloned()
                .collect();
            placed.extend(group.iter().cloned());
            groups.push(group);
        }
        groups
    }
}

fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or("");
    LAYERS
        .iter()
        .position(|(_, members)| members.contains(&top))
}

/// Every import that goes up a layer, as `from → to (layer)`, and every module without a
/// layer.
fn upward_imports(krate: &Crate) -> Vec<String> {
    let mut problems = Vec::new();
    for (from, targets) in krate.imports() {
        let Some(from_layer) = layer_of(&from) else {
            problems.push(format!("{from}: in no layer (add it to LAYERS)"));
            continue;
        };
        for to in targets {
            match layer_of(&to) {
                Some(to_layer) if to_layer < from_layer => problems.push(format!(
                    "{from} ({}) imports {to} ({}), a layer above it",
                    LAYERS[from_layer].0, LAYERS[to_layer].0
                )),
                _ => {}
            }
        }
    }
    problems
}

fn src(crate_dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("src")
}

#[test]
fn app_modules_import_only_their_own_layer_and_those_below() {
    let problems = upward_imports(&Crate::read(&src("app")));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    for name in ["app", "server"] {
        let krate = Crate::read(&src(name));
        assert!(krate.modules.len() > 20, "{name}: read its modules");
        let cycles = krate.cycles();
        assert!(cycles.is_empty(), "{name}: modules in a cycle: {cycles:?}");
    }
}

#[test]
fn no_source_file_is_over_600_lines_tests_aside() {
    let mut long = Vec::new();
    for name in ["app", "server", "frontend"] {
        for module in Crate::read(&src(name)).modules.values() {
            if module.lines > MAX_LINES {
                long.push(format!(
                    "{name}/src/{}: {} lines",
                    module.file, module.lines
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

// The checks themselves, on made-up sources: they must see what they are for.

fn made_up(files: &[(&str, &str)]) -> Crate {
    Crate::from_sources(
        &files
            .iter()
            .map(|(f, s)| (f.to_string(), s.to_string()))
            .collect::<Vec<_>>(),
    )
}

#[test]
fn the_check_sees_a_cycle_through_groups_super_and_reexports() {
    let krate = made_up(&[
        ("lib.rs", "pub mod backend;\npub mod model;"),
        (
            "backend/mod.rs",
            "pub mod db;\npub mod session;\npub use db::{begin, Db};",
        ),
        (
            "backend/db.rs",
            "use super::session::CurrentUser;\npub type Db = ();",
        ),
        (
            "backend/session.rs",
            "use crate::{backend::Db, model::Thing};\npub struct CurrentUser;",
        ),
        ("model.rs", "pub struct Thing;"),
    ]);
    let imports = krate.imports();
    assert_eq!(
        imports["backend::session"],
        BTreeSet::from(["backend::db".to_string(), "model".to_string()])
    );
    assert_eq!(
        krate.cycles(),
        vec![vec![
            "backend::db".to_string(),
            "backend::session".to_string()
        ]]
    );
}

#[test]
fn the_check_ignores_comments_tests_and_longer_names() {
    let krate = made_up(&[
        ("a.rs", "// use crate::b::X;\nfn f() { my_crate::b::g(); }\n#[cfg(test)]\nmod tests {\n    use crate::b::X;\n}\n"),
        ("b.rs", "use crate::a::Y;"),
    ]);
    assert!(krate.cycles().is_empty());
    assert_eq!(krate.modules["a"].lines, 2);
}

#[test]
fn the_check_sees_an_upward_import_and_a_module_without_layer() {
    let krate = made_up(&[
        ("lib.rs", "pub mod backend;\npub mod api;\npub mod extra;"),
        (
            "backend/mod.rs",
            "pub fn f() { crate::api::account::save(); }",
        ),
        ("api/mod.rs", "pub mod account;"),
        ("api/account.rs", "pub fn save() { crate::backend::f(); }"),
        ("extra.rs", ""),
    ]);
    let problems = upward_imports(&krate);
    assert!(
        problems.contains(
            &"backend (backend) imports api::account (server functions), a layer above it"
                .to_string()
        ),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.starts_with("extra: in no layer")));
    assert!(!problems.iter().any(|p| p.starts_with("api::account ")));
}
