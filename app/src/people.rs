//! What the server loads for the pages of the people who work with households — the
//! signed-in account, places, invitations — handed to those pages inside the request.
//! The pages (pages/account.rs, sign_in.rs, invite.rs, invitations.rs, areas.rs) only
//! render it; the server (server/src/routes/people/) finds it and decides who may see it.

use crate::domain::role::Role;

/// The signed-in account, as pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub name: String,
    pub login: String,
    pub role: Role,
    pub area_name: String,
}

impl Viewer {
    /// Whether the invitations page has anything for this account.
    pub fn invites(&self) -> bool {
        Role::ALL.iter().any(|r| self.role.may_invite(*r))
    }

    /// Whether the account keeps places (administrators and commune officials).
    pub fn keeps_places(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Official)
    }

    /// Whether the account guides households (volunteers).
    pub fn guides(&self) -> bool {
        self.role == Role::Volunteer
    }

    /// Whether the account sees a team (a lead, their own; an official, the commune's).
    pub fn sees_teams(&self) -> bool {
        matches!(self.role, Role::Lead | Role::Official | Role::Admin)
    }

    /// `/coverage`: a commune's or the province's counts.
    pub fn sees_coverage(&self) -> bool {
        matches!(self.role, Role::Official | Role::Admin)
    }
}

/// `/mentees`: a volunteer's households, pairing codes, and the villages codes are for.
#[derive(Clone, Debug)]
pub struct MenteesData {
    pub mentees: Vec<MenteeCard>,
    /// Today on Vietnam's clock, `2026-11-29`: the visit form's default day.
    pub today: String,
    /// Now (epoch ms): which lessons are due for review.
    pub now_ms: i64,
    /// A fresh event id for the page's visit form.
    pub visit_id: String,
    /// The id for a sign-off of a household named by its household code.
    pub handoff_id: String,
    /// The volunteer's latest community sessions, and the form for another.
    pub sessions: Vec<SessionRow>,
    pub session_form: SessionForm,
    pub codes: Vec<CodeShown>,
    pub villages: Vec<Place>,
}

/// A community learning session as the pages list it.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// `2026-11-29`.
    pub day: String,
    pub place: String,
    pub village: Option<String>,
    /// Lesson ids.
    pub topics: Vec<String>,
    pub attendees: i64,
    pub by: String,
}

/// What the session form needs: a fresh id (a form sent twice is one session), today,
/// and the villages of the commune.
#[derive(Clone, Debug)]
pub struct SessionForm {
    /// Whom the page was drawn for: a form kept on a shared phone is sent only in their
    /// name.
    pub account_id: String,
    pub session_id: String,
    pub today: String,
    pub villages: Vec<Place>,
}

/// A volunteer (or lead) with what they have done, for the team pages.
#[derive(Clone, Debug)]
pub struct MemberRow {
    pub name: String,
    pub mentees: i64,
    pub visits: i64,
    pub sessions: i64,
}

/// A team: its lead (none for volunteers without one) and its volunteers.
#[derive(Clone, Debug)]
pub struct TeamCard {
    pub lead: Option<MemberRow>,
    pub volunteers: Vec<MemberRow>,
}

/// `/team`: a lead's own team, or every team of an official's commune; the latest
/// sessions; the session form for a lead.
#[derive(Clone, Debug)]
pub struct TeamData {
    pub teams: Vec<TeamCard>,
    pub sessions: Vec<SessionRow>,
    pub form: Option<SessionForm>,
    /// For an official: closing the account of someone who left, and offering their
    /// households to another volunteer.
    pub handover: Option<Handover>,
    /// For an administrator: every commune's totals (no teams, no names).
    pub province: Vec<CommuneRow>,
}

/// An official's coverage page: the places one level down (a commune's villages, the
/// province's communes), each count already as an official may see it ("< 5").
#[derive(Clone, Debug)]
pub struct CoverageData {
    /// The commune's or the province's name.
    pub place: String,
    /// True for the province's communes, false for a commune's villages.
    pub province: bool,
    pub rows: Vec<CoverageRow>,
    /// The whole commune or province.
    pub total: CoverageRow,
    /// What the counts mean (content/coverage.toml): language → (basic skills, identity).
    pub texts: std::collections::BTreeMap<String, (String, String)>,
    pub as_of_ms: i64,
    /// Households whose newest events are not counted yet.
    pub pending: i64,
    /// The year the targets are for: the year the period ends in.
    pub year: i32,
    /// The plan's targets for the year, against the area's own figures.
    pub targets: Vec<TargetRow>,
    /// The area's populations for the year as entered (kind, people), for the form.
    pub population: Vec<(String, Option<u64>)>,
    /// The period reported: counts are what was reached by its last day; visits and
    /// sessions are those of its days.
    pub period: ReportPeriod,
    /// The periods offered to choose from, by name.
    pub choices: Vec<String>,
    /// The headline counts at the end of each quarter up to the period's.
    pub trend: Vec<TrendRow>,
    /// People learning in the whole area by age band, then by group: (content/ui key,
    /// count as shown).
    pub learning: Vec<(String, String)>,
}

/// A report's period: its name as asked (`2026-Q3`, `2026-H1`, `2026`, or
/// `2026-07-01..2026-08-15`) and its first and last day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportPeriod {
    pub name: String,
    pub from_day: String,
    pub to_day: String,
    /// Holds 10 October, the day of the digital-learning festival.
    pub festival: bool,
}

impl ReportPeriod {
    /// The period as a report's title says it, in the reader's language (`t` looks up
    /// content/ui strings): "Quý 3/2026", "6 tháng đầu năm 2026", "Năm 2026", a range.
    pub fn label(&self, t: impl Fn(&str) -> String) -> String {
        let (year, part) = self.name.split_once('-').unwrap_or((&self.name, ""));
        let key = match part {
            "" => "coverage.period.year",
            "H1" => "coverage.period.h1",
            "H2" => "coverage.period.h2",
            q if q.starts_with('Q') && q.len() == 2 => "coverage.period.quarter",
            _ => {
                return t("coverage.period.range")
                    .replace("{from}", &crate::domain::time::day_as_read(&self.from_day))
                    .replace("{to}", &crate::domain::time::day_as_read(&self.to_day))
            }
        };
        t(key)
            .replace("{year}", year)
            .replace("{n}", part.get(1..).unwrap_or(""))
    }
}

/// One point of a report's trend: the counts at the end of a quarter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrendRow {
    /// The quarter, as a period.
    pub quarter: ReportPeriod,
    /// Adults with basic skills, for drawing: 0 when the count is too small to show.
    pub bar: u64,
    pub adults_basic: String,
    pub identity_confirmed: String,
    pub digital_families: String,
}

/// One target as the coverage page shows it: text already formatted; "—" where the area
/// has no denominator (counts, not invented percentages).
#[derive(Clone, Debug)]
pub struct TargetRow {
    /// content/ui `coverage.measure.<measure>`.
    pub measure: String,
    pub count: String,
    pub denominator: String,
    pub percent: String,
    pub target: String,
    pub gap: String,
    /// How much of the target is reached, in whole per cent (capped at 100), when the
    /// target is known and the count may be shown: the progress chart's bar.
    pub reached: Option<u32>,
}

/// One place's counts, as shown.
#[derive(Clone, Debug, Default)]
pub struct CoverageRow {
    pub name: String,
    pub households: String,
    pub learning: String,
    pub adults: String,
    pub adults_basic: String,
    pub identity_self: String,
    pub identity_confirmed: String,
    pub digital_families: String,
    pub traders: String,
    /// Adults with basic skills as a share of the place's adults as entered ("—" without).
    pub adults_share: String,
    /// Visits and community sessions recorded for the period's days.
    pub visits: String,
    pub sessions: String,
    /// Volunteers guiding at least 5 households now (a commune's; "—" for a village).
    pub volunteers_5: String,
}

/// The columns of a coverage table, in order (content/ui `coverage.col.<key>`): the
/// page's and the CSV's one list.
pub const COVERAGE_COLUMNS: [&str; 12] = [
    "households",
    "learning",
    "adults",
    "adults_basic",
    "adults_share",
    "identity_self",
    "identity_confirmed",
    "digital_families",
    "traders",
    "visits",
    "sessions",
    "volunteers_5",
];

impl CoverageRow {
    /// The cells of `COVERAGE_COLUMNS`, in order.
    pub fn cells(&self) -> [&str; 12] {
        [
            &self.households,
            &self.learning,
            &self.adults,
            &self.adults_basic,
            &self.adults_share,
            &self.identity_self,
            &self.identity_confirmed,
            &self.digital_families,
            &self.traders,
            &self.visits,
            &self.sessions,
            &self.volunteers_5,
        ]
    }
}

/// The columns of the targets table (content/ui `coverage.target.<key>`).
pub const TARGET_COLUMNS: [&str; 5] = ["count", "denominator", "percent", "target", "gap"];

impl TargetRow {
    pub fn cells(&self) -> [&str; 5] {
        [
            &self.count,
            &self.denominator,
            &self.percent,
            &self.target,
            &self.gap,
        ]
    }
}

/// A commune's totals on the administrator's view of the province.
#[derive(Clone, Debug)]
pub struct CommuneRow {
    pub name: String,
    pub volunteers: i64,
    pub households: i64,
    pub visits: i64,
    pub sessions: i64,
}

/// What an official can do when a volunteer or lead leaves.
#[derive(Clone, Debug, Default)]
pub struct Handover {
    /// The commune's open volunteer and lead accounts (id, name, role code).
    pub people: Vec<(String, String, String)>,
    /// The commune's open volunteers: who a household can be offered to (id, name).
    pub volunteers: Vec<(String, String)>,
    /// Volunteers who left and still have households.
    pub left: Vec<LeftRow>,
}

/// A volunteer who left, with the households that still agree to them.
#[derive(Clone, Debug)]
pub struct LeftRow {
    pub account_id: String,
    pub name: String,
    pub households: i64,
    /// Of those, how many have an offer waiting for their answer.
    pub offered: i64,
}

/// A household that agreed to this volunteer, folded from its events.
#[derive(Clone, Debug)]
pub struct MenteeCard {
    pub household_id: String,
    pub village: String,
    pub since_ms: i64,
    pub view: crate::domain::event::HouseholdView,
    /// A fresh event id for this household's sign-off form: a form sent twice (a retry
    /// after the answer was lost) is recorded once.
    pub confirm_id: String,
}

/// A live pairing code, with its QR code drawn by the server (an SVG of dark modules
/// only: no script, no style).
#[derive(Clone, Debug)]
pub struct CodeShown {
    pub code: String,
    pub village: String,
    pub expires_ms: i64,
    pub qr_svg: String,
}

/// A place in a list: its id, kind and name, and how many places it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub count: usize,
}

/// `/areas` for an administrator: the province's communes.
#[derive(Clone, Debug)]
pub struct AreasData {
    pub province: String,
    pub communes: Vec<Place>,
}

/// `/areas/{id}`: a commune and its villages, and whether this account may change them.
#[derive(Clone, Debug)]
pub struct AreaData {
    pub area: Place,
    pub villages: Vec<Place>,
    pub can_edit: bool,
    /// Where to go up (the province's list), for an administrator.
    pub up: Option<String>,
}

/// `/invitations`: what this account may invite, and what it has invited.
#[derive(Clone, Debug)]
pub struct InvitationsData {
    pub roles: Vec<Role>,
    /// The communes an administrator may invite officials to; empty for an official,
    /// who invites to their own.
    pub communes: Vec<Place>,
    /// The team leads of an official's commune, for a volunteer's team.
    pub leads: Vec<(String, String)>,
    pub made: Vec<Made>,
    /// Accounts this one invited: (id, name, login), for a password reset.
    pub invited: Vec<(String, String, String)>,
    /// An invitation made a moment ago, with its link and code: shown once.
    pub issued: Option<Issued>,
}

#[derive(Clone, Debug)]
pub struct Made {
    pub note: String,
    pub role: Role,
    pub reset: bool,
    pub state: MadeState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MadeState {
    Waiting { until_ms: i64 },
    Used,
    Expired,
}

#[derive(Clone, Debug)]
pub struct Issued {
    pub link: String,
    pub code: String,
    pub note: String,
    pub expires_ms: i64,
}

/// `/invite/{code}`: the invitation behind a link or code, if it can still be used.
#[derive(Clone, Debug)]
pub struct AcceptData {
    pub code: String,
    pub offer: Option<Offer>,
}

#[derive(Clone, Debug)]
pub struct Offer {
    pub inviter: String,
    pub role: Role,
    pub area: String,
    /// For a password reset: whose sign-in name.
    pub reset_login: Option<String>,
    pub note: String,
}

/// The page is for other accounts than this one.
#[derive(Clone, Copy, Debug)]
pub struct Forbidden;

/// What the server put in the request being rendered for this page, if anything (always
/// nothing in the browser: these pages have no islands).
pub fn loaded<T: Clone + Send + Sync + 'static>() -> Option<T> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<T>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A query parameter of the request being rendered (`?m=added`), for the one-line
/// notices forms send back.
pub fn query(name: &str) -> Option<String> {
    use leptos::prelude::WithUntracked;
    leptos_router::hooks::use_query_map().with_untracked(|q| q.get(name))
}
