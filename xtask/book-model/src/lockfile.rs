//! What `Cargo.lock` and `rust-toolchain.toml` say: the single source of every version
//! the book names.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Package name -> every version of it in `Cargo.lock` (usually one).
pub struct Lockfile {
    versions: BTreeMap<String, Vec<String>>,
    /// "name version" of what the workspace's own packages depend on directly, as
    /// Cargo.lock writes a dependency whose name alone is ambiguous.
    direct: Vec<String>,
}

impl Lockfile {
    pub fn read(repo: &Path) -> Result<Self> {
        let path = repo.join("Cargo.lock");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let lock: toml::Table =
            toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut direct = Vec::new();
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
            // Workspace packages are the ones without a `source` (registry or git).
            if package.get("source").is_none() {
                let dependencies = package.get("dependencies").and_then(|d| d.as_array());
                direct.extend(
                    dependencies
                        .into_iter()
                        .flatten()
                        .filter_map(|dependency| dependency.as_str().map(str::to_owned)),
                );
            }
        }
        Ok(Self { versions, direct })
    }

    /// The locked version of `package`: the only one, or else the one the workspace
    /// depends on directly (a tool's dependency may pull in an older major version).
    /// Every locked package with its versions (more than one when the graph holds
    /// several major versions).
    pub fn versions(&self) -> &BTreeMap<String, Vec<String>> {
        &self.versions
    }

    pub fn version(&self, package: &str) -> Result<&str> {
        match self.versions.get(package).map(Vec::as_slice) {
            Some([version]) => Ok(version),
            Some(several) if self.used_directly(package, several).is_some() => {
                Ok(self.used_directly(package, several).unwrap_or_default())
            }
            Some(several) => bail!(
                "Cargo.lock has several versions of {package} ({}); name one crate the book depends on directly",
                several.join(", ")
            ),
            None => bail!("{package} is not in Cargo.lock"),
        }
    }

    /// The single version of `package` among the workspace's direct dependencies.
    fn used_directly<'a>(&self, package: &str, versions: &'a [String]) -> Option<&'a str> {
        let mut used = versions.iter().filter(|version| {
            self.direct
                .iter()
                .any(|entry| *entry == format!("{package} {version}"))
        });
        match (used.next(), used.next()) {
            (Some(version), None) => Some(version),
            _ => None,
        }
    }
}

/// The toolchain channel pinned in `rust-toolchain.toml`, for example `1.95.0`.
pub fn toolchain(repo: &Path) -> Result<String> {
    Ok(pinned_toolchain(repo)?.channel)
}

/// What `rust-toolchain.toml` pins: the channel, and the components and targets
/// besides the default ones. The one reader of that file.
pub struct PinnedToolchain {
    pub channel: String,
    pub components: Vec<String>,
    pub targets: Vec<String>,
}

pub fn pinned_toolchain(repo: &Path) -> Result<PinnedToolchain> {
    let path = repo.join("rust-toolchain.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file: toml::Table = toml::from_str(&text)?;
    let toolchain = file
        .get("toolchain")
        .context("rust-toolchain.toml has no [toolchain]")?;
    let list = |key: &str| -> Vec<String> {
        toolchain
            .get(key)
            .and_then(|value| value.as_array())
            .into_iter()
            .flatten()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect()
    };
    Ok(PinnedToolchain {
        channel: toolchain
            .get("channel")
            .and_then(|channel| channel.as_str())
            .map(str::to_owned)
            .context("rust-toolchain.toml has no toolchain.channel")?,
        components: list("components"),
        targets: list("targets"),
    })
}
