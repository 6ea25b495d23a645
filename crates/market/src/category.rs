//! The operator's category tree and the attribute schema of each category.
//! The tree is small (at most a few thousand nodes) and read whole.

use std::collections::HashMap;

use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{MarketError, Result};
use crate::fields::required_line;
use crate::model::{AttributeKind, AttributeSpec, Category, CategoryId};
use crate::{Market, rows};

/// The most categories a network may have; the tree is read whole.
pub const CATEGORIES_MAX: i64 = 5_000;
/// The deepest a category may sit (the root is level 1); search counts
/// products at each of these levels.
pub const CATEGORY_DEPTH_MAX: usize = 4;
const ATTRIBUTES_MAX: usize = 30;
const CHOICES_MAX: usize = 50;

/// A new category, from the operator.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    #[serde(default)]
    pub parent_id: Option<CategoryId>,
    /// Lower-case letters, digits and hyphens, unique in the network.
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub attributes: Vec<AttributeSpec>,
}

/// The whole tree, with lookups by id and slug.
#[derive(Debug, Clone, Default)]
pub struct CategoryTree {
    categories: Vec<Category>,
    by_id: HashMap<CategoryId, usize>,
}

impl CategoryTree {
    fn new(categories: Vec<Category>) -> CategoryTree {
        let by_id = categories
            .iter()
            .enumerate()
            .map(|(index, category)| (category.id, index))
            .collect();
        CategoryTree { categories, by_id }
    }

    /// Every category, parents before children's siblings in position order.
    pub fn all(&self) -> &[Category] {
        &self.categories
    }

    pub fn get(&self, id: CategoryId) -> Option<&Category> {
        self.by_id.get(&id).map(|&index| &self.categories[index])
    }

    pub fn by_slug(&self, slug: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|category| category.slug == slug)
    }

    /// The children of `parent` (the roots for `None`), in position order.
    pub fn children(&self, parent: Option<CategoryId>) -> Vec<&Category> {
        self.categories
            .iter()
            .filter(|category| category.parent_id == parent)
            .collect()
    }

    /// The categories from the root down to `id`; empty for an unknown id.
    pub fn path(&self, id: CategoryId) -> Vec<&Category> {
        let mut path = Vec::new();
        let mut next = self.get(id);
        while let Some(category) = next {
            path.push(category);
            // A cycle cannot be stored, but a bound costs nothing.
            if path.len() > CATEGORY_DEPTH_MAX {
                break;
            }
            next = category.parent_id.and_then(|parent| self.get(parent));
        }
        path.reverse();
        path
    }

    /// `id` and every category below it.
    pub fn subtree(&self, id: CategoryId) -> Vec<CategoryId> {
        let mut found = vec![id];
        let mut index = 0;
        while index < found.len() {
            let parent = found[index];
            found.extend(
                self.categories
                    .iter()
                    .filter(|category| category.parent_id == Some(parent))
                    .map(|category| category.id),
            );
            index += 1;
        }
        found
    }

    /// Whether products may be listed here: only in leaves, so a product
    /// always has the most specific attributes.
    pub fn is_leaf(&self, id: CategoryId) -> bool {
        !self
            .categories
            .iter()
            .any(|category| category.parent_id == Some(id))
    }

    /// The attribute schema that applies to `id`: its own and its ancestors'.
    pub fn attributes(&self, id: CategoryId) -> Vec<&AttributeSpec> {
        self.path(id)
            .into_iter()
            .flat_map(|category| category.attributes.iter())
            .collect()
    }
}

fn slug(value: &str) -> Result<String> {
    let value = value.trim();
    let valid = (2..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(MarketError::invalid(
            "slug",
            "invalid_slug",
            "2 to 64 lower-case letters, digits and hyphens",
        ))
    }
}

fn attribute_specs(specs: &[AttributeSpec]) -> Result<Vec<AttributeSpec>> {
    if specs.len() > ATTRIBUTES_MAX {
        return Err(MarketError::invalid(
            "attributes",
            "too_many",
            format!("at most {ATTRIBUTES_MAX} attributes"),
        ));
    }
    let mut checked: Vec<AttributeSpec> = Vec::with_capacity(specs.len());
    for (index, spec) in specs.iter().enumerate() {
        let field = |name: &str| format!("attributes[{index}].{name}");
        let key = spec.key.trim();
        let key_valid = (1..=40).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_valid {
            return Err(MarketError::invalid(
                field("key"),
                "invalid_key",
                "1 to 40 lower-case letters, digits and underscores",
            ));
        }
        if checked.iter().any(|other| other.key == key) {
            return Err(MarketError::invalid(
                field("key"),
                "duplicate",
                "each attribute key appears once",
            ));
        }
        let choices = spec
            .choices
            .iter()
            .map(|choice| required_line(&field("choices"), choice, 100))
            .collect::<Result<Vec<_>>>()?;
        if spec.kind == AttributeKind::Choice && choices.is_empty() {
            return Err(MarketError::invalid(
                field("choices"),
                "required",
                "a choice attribute lists its choices",
            ));
        }
        if choices.len() > CHOICES_MAX {
            return Err(MarketError::invalid(
                field("choices"),
                "too_many",
                format!("at most {CHOICES_MAX} choices"),
            ));
        }
        checked.push(AttributeSpec {
            key: key.to_owned(),
            name_zh: required_line(&field("name_zh"), &spec.name_zh, 100)?,
            name_en: required_line(&field("name_en"), &spec.name_en, 100)?,
            kind: spec.kind,
            unit: spec
                .unit
                .as_deref()
                .map(|unit| required_line(&field("unit"), unit, 20))
                .transpose()?,
            choices,
            required: spec.required,
        });
    }
    Ok(checked)
}

fn category(row: &AnyRow) -> Result<Category> {
    Ok(Category {
        id: CategoryId::from_raw(row.try_get("id")?),
        parent_id: row
            .try_get::<Option<i64>, _>("parent_id")?
            .map(CategoryId::from_raw),
        slug: row.try_get("slug")?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        position: row.try_get("position")?,
        attributes: rows::json(row, "attributes")?,
    })
}

/// Reads the whole tree.
pub(crate) async fn load_tree(db: &kernel::Db) -> Result<CategoryTree> {
    let rows = sqlx::query(
        "SELECT id, parent_id, slug, name_zh, name_en, position, attributes
         FROM market_category ORDER BY position, id LIMIT $1",
    )
    .bind(CATEGORIES_MAX)
    .fetch_all(db.reader())
    .await?;
    let categories = rows.iter().map(category).collect::<Result<Vec<_>>>()?;
    Ok(CategoryTree::new(categories))
}

impl Market {
    /// The whole category tree.
    pub async fn categories(&self) -> Result<CategoryTree> {
        load_tree(&self.db).await
    }

    /// Adds a category; for the operator only (the caller checks).
    pub async fn create_category(&self, new: &NewCategory) -> Result<Category> {
        let tree = self.categories().await?;
        if tree.all().len() as i64 >= CATEGORIES_MAX {
            return Err(MarketError::Conflict("the category tree is full"));
        }
        if let Some(parent) = new.parent_id {
            if tree.get(parent).is_none() {
                return Err(MarketError::invalid(
                    "parent_id",
                    "not_found",
                    "no such category",
                ));
            }
            if tree.path(parent).len() >= CATEGORY_DEPTH_MAX {
                return Err(MarketError::invalid(
                    "parent_id",
                    "too_deep",
                    format!("categories nest at most {CATEGORY_DEPTH_MAX} levels"),
                ));
            }
        }
        let category = Category {
            id: CategoryId::new(),
            parent_id: new.parent_id,
            slug: slug(&new.slug)?,
            name_zh: required_line("name_zh", &new.name_zh, 100)?,
            name_en: required_line("name_en", &new.name_en, 100)?,
            position: crate::fields::number_in("position", new.position, 0..=1_000_000)?,
            attributes: attribute_specs(&new.attributes)?,
        };
        if tree.by_slug(&category.slug).is_some() {
            return Err(MarketError::invalid(
                "slug",
                "taken",
                "another category has this slug",
            ));
        }
        let now = self.clock.now().micros();
        let mut tx = self.db.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO market_category (id, parent_id, slug, name_zh, name_en, position, attributes, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(category.id)
        .bind(category.parent_id.map(CategoryId::raw))
        .bind(&category.slug)
        .bind(&category.name_zh)
        .bind(&category.name_en)
        .bind(category.position)
        .bind(rows::to_json(&category.attributes))
        .bind(now)
        .execute(tx.conn())
        .await;
        rows::unique_or(inserted, || {
            MarketError::invalid("slug", "taken", "another category has this slug")
        })?;
        tx.commit().await?;
        Ok(category)
    }
}
