// Patch: the full-screen view drops CI and CONTINUOUS_INTEGRATION from the environment before Ink
// loads.
//
// Works around an Ink behaviour: Ink 6.8.0 asks is-in-ci (2.0.0), which reads those two variables
// once, when it is loaded, and in "CI" renders nothing live: no frames while the app runs, only the
// last one when it exits. lxtop's full-screen view runs only when stdin and stdout are terminals,
// an interactive terminal whatever the environment says (a developer's shell with CI=1 exported,
// a test run under CI driving a pty): with CI set the view stayed blank until it quit.
//
// Touches: process.env, from src/cli.tsx, before anything imports Ink (is-in-ci's answer is fixed
// at its import). test/unit/patches/guards.test.ts fails when Ink or is-in-ci are not the versions
// in pins.ts, when is-in-ci no longer reads these two variables, or when Ink gains a way to say
// "interactive" itself (time to use it instead).
//
// What would let it go: Ink ≥ 7.0's `interactive` render option (`render(…, {interactive: true})`),
// which needs Node ≥ 22 (lxtop supports Node ≥ 20.18).

/** Lets Ink render live frames whatever CI says: call before Ink (or is-in-ci) is first imported. */
export function letInkRenderLive(env: NodeJS.ProcessEnv = process.env): void {
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
}
