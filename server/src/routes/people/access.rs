//! Who may see and change what among places and people: the one place these rules live.
//! An administrator keeps the whole province; a commune official keeps their commune and
//! its villages; team leads and volunteers keep no places.

use crate::db::accounts::Account;
use crate::db::areas::{Area, Level};
use app::domain::role::Role;

/// Whether `who` may see `area` and its villages, and change them.
pub fn may_keep(who: &Account, area: &Area) -> bool {
    match (who.role, area.level) {
        (Role::Admin, _) => true,
        (Role::Official, Level::Commune) => area.area_id == who.area_id,
        (Role::Official, Level::Village) => area.parent_id.as_deref() == Some(&who.area_id),
        _ => false,
    }
}

/// Whether `who` may rename `area`: a village by whoever keeps its commune; a commune
/// (its name comes from the provincial list) only by an administrator.
pub fn may_rename(who: &Account, area: &Area) -> bool {
    match area.level {
        Level::Village => may_keep(who, area),
        Level::Commune => who.role == Role::Admin,
        Level::Province => false,
    }
}
