//! `README.md` of the generated baseline: deployment order and commands.

use crate::templates::Plan;

pub fn readme(plan: &Plan) -> String {
    format!("# {} baseline\n", plan.org())
}
