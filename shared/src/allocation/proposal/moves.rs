//! How one proposal adjustment moved each fairness figure, figure by figure
//! (Jain's index, the Gini coefficient, each sector's dominant share), with
//! the direction of the move, for the committee's before → after table.

use crate::advisor::Sector;

use super::FairnessChange;

/// Moves smaller than this count as unchanged (figures are 0..=1).
const SAME_WITHIN: f64 = 1e-9;

/// Which figure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovedFigure {
    /// Jain's index across sectors.
    Jain,
    /// Gini coefficient across organisations.
    Gini,
    /// A sector's dominant share.
    DominantShare(Sector),
}

/// The direction of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Unchanged,
}

/// One figure before and after an adjustment (`None` where it is undefined).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureMove {
    pub figure: MovedFigure,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub direction: Direction,
}

fn direction(before: Option<f64>, after: Option<f64>) -> Direction {
    let d = after.unwrap_or(0.0) - before.unwrap_or(0.0);
    if d > SAME_WITHIN {
        Direction::Up
    } else if d < -SAME_WITHIN {
        Direction::Down
    } else {
        Direction::Unchanged
    }
}

impl FairnessChange {
    /// Jain, Gini, then every sector's dominant share present before or after, in sector order.
    pub fn moves(&self) -> Vec<FigureMove> {
        let mut out = Vec::new();
        let (b, a) = (&self.before, &self.after);
        for (figure, before, after) in [
            (MovedFigure::Jain, b.jain_sectors, a.jain_sectors),
            (MovedFigure::Gini, b.gini_organisations, a.gini_organisations),
        ] {
            out.push(FigureMove { figure, before, after, direction: direction(before, after) });
        }
        let share = |f: &crate::allocation::FairnessFigures, s: Sector| {
            f.dominant_shares.iter().find(|d| d.sector == s).map(|d| d.share)
        };
        for sector in Sector::ALL.iter().copied() {
            let (before, after) = (share(b, sector), share(a, sector));
            if before.is_some() || after.is_some() {
                let figure = MovedFigure::DominantShare(sector);
                out.push(FigureMove { figure, before, after, direction: direction(before, after) });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::fairness::{FairnessFigures, SectorDominantShare};

    fn figures(jain: f64, gini: f64, uni: f64) -> FairnessFigures {
        FairnessFigures {
            jain_sectors: Some(jain),
            gini_organisations: Some(gini),
            sector_ratios: Vec::new(),
            dominant_shares: vec![SectorDominantShare { sector: Sector::University, share: uni, gpu_model: None }],
        }
    }

    #[test]
    fn each_figure_moves_in_its_own_direction() {
        let change = FairnessChange { before: figures(0.8, 0.4, 0.3), after: figures(0.9, 0.4, 0.2) };
        let moves = change.moves();
        let dirs: Vec<(MovedFigure, Direction)> = moves.iter().map(|m| (m.figure, m.direction)).collect();
        assert_eq!(
            dirs,
            vec![
                (MovedFigure::Jain, Direction::Up),
                (MovedFigure::Gini, Direction::Unchanged),
                (MovedFigure::DominantShare(Sector::University), Direction::Down),
            ]
        );
        assert_eq!((moves[0].before, moves[0].after), (Some(0.8), Some(0.9)));
    }
}
