use serde::Deserialize;

use crate::policy::{Param, Policy, QueueDiscipline, TaskView};

/// Shortest job first: rank = expected work (the mean of the task's work distribution), or the
/// true sampled work with `true_work = true` (an oracle, as a bound on what SJF can gain).
pub struct Sjf {
    true_work: bool,
}

/// Parameters of [`Sjf`].
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SjfParams {
    /// Rank by the sampled work instead of the expected work.
    #[serde(default)]
    pub true_work: bool,
}

impl Policy for Sjf {
    const NAME: &'static str = "sjf";
    const RULE: &'static str = "rank = expected work E[w] (or the true work w): smallest first";
    const ABOUT: &'static str =
        "Serves the task expected to finish soonest, which minimises the mean wait among non-\
         preemptive orders when work sizes differ. Long tasks pay for it: they are overtaken \
         by every shorter one and their tail latency grows, without bound under heavy load. \
         Choose it when most tasks are short and a few are long.";
    const PARAMS: &'static [Param] = &[Param {
        name: "true_work",
        default: Some("false"),
        meaning: "rank by the sampled work instead of its mean: an oracle, the bound on what \
                  SJF can gain",
    }];
    type Params = SjfParams;
    fn new(p: SjfParams) -> Self {
        Sjf { true_work: p.true_work }
    }
}

impl QueueDiscipline for Sjf {
    fn rank(&self, task: &TaskView) -> f64 {
        if self.true_work {
            task.work
        } else {
            task.expected_work
        }
    }
}
