//! What `Cargo.lock` and `rust-toolchain.toml` say: the single source of every version
//! the book names.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Package name -> every version of it in `Cargo.lock` (usually one).
pub struct Lockfile {
    versions: BTreeMap<String, Vec<String>>,
}

impl Lockfile {
    pub fn read(repo: &Path) -> Result<Self> {
        let path = repo.join("Cargo.lock");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let lock: toml::Table =
            toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for package in lock
            .get("package")
            .and_then(|packages| packages.as_array())
            .into_iter()
            .flatten()
        {
            let field = |key: &str| package.get(key).and_then(|value| value.as_str());
            if let (Some(name), Some(version)) = (field("name"), field("version")) {
                versions
                    .entry(name.to_owned())
                    .or_default()
                    .push(version.to_owned());
            }
        }
        Ok(Self { versions })
    }

    /// The one locked version of `package`; an error if it is missing or ambiguous.
    pub fn version(&self, package: &str) -> Result<&str> {
        match self.versions.get(package).map(Vec::as_slice) {
            Some([version]) => Ok(version),
            Some(several) => bail!(
                "Cargo.lock has several versions of {package} ({}); name one crate the book depends on directly",
                several.join(", ")
            ),
            None => bail!("{package} is not in Cargo.lock"),
        }
    }
}

/// The toolchain channel pinned in `rust-toolchain.toml`, for example `1.95.0`.
pub fn toolchain(repo: &Path) -> Result<String> {
    let path = repo.join("rust-toolchain.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file: toml::Table = toml::from_str(&text)?;
    file.get("toolchain")
        .and_then(|toolchain| toolchain.get("channel"))
        .and_then(|channel| channel.as_str())
        .map(str::to_owned)
        .context("rust-toolchain.toml has no toolchain.channel")
}
