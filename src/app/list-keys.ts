// The navigation keys of a list view over the panes (events, snapshots, warnings): each moves the
// selection by a rule of where it is, the page and the total; the view's own `move` clamps and
// scrolls.
export type MoveRule = (at: number, page: number, total: number) => number;

export function listMoves<A>(move: (rule: MoveRule) => A) {
  return {
    up: move((at) => at - 1),
    down: move((at) => at + 1),
    'page-up': move((at, p) => at - p),
    'page-down': move((at, p) => at + p),
    top: move(() => 0),
    bottom: move((_at, _p, total) => total - 1),
  };
}
