/**
 * The hand-written LunarLander controller that Gymnasium ships beside the environment
 * (`heuristic`): it steers towards the pad and slows the descent from the observation
 * alone. It lands in every recorded seed; the tests use it as the reference policy.
 */

/**
 * The controller's action for observation `s`: 0..3 for the discrete lander, or
 * `[main, lateral]` in [-1, 1] (float64, not rounded to float32) for the continuous one.
 */
export function heuristic(s: ArrayLike<number>, continuous: boolean): number | [number, number] {
  // Point towards the centre, but never tilt more than 0.4 rad (22 degrees).
  let angleTarget = s[0] * 0.5 + s[2] * 1.0;
  if (angleTarget > 0.4) angleTarget = 0.4;
  if (angleTarget < -0.4) angleTarget = -0.4;
  // Hover lower the closer to the centre line.
  const hoverTarget = 0.55 * Math.abs(s[0]);

  let angleTodo = (angleTarget - s[4]) * 0.5 - s[5] * 1.0;
  let hoverTodo = (hoverTarget - s[1]) * 0.5 - s[3] * 0.5;

  let legsDown = false;
  if (s[6] || s[7]) {
    // Once a leg touches, only slow the fall.
    legsDown = true;
    angleTodo = 0;
    hoverTodo = -s[3] * 0.5;
  }

  if (continuous) {
    const clip = (v: number): number => Math.min(Math.max(v, -1), 1);
    // Gymnasium's angle_todo is then the integer 0, so the lateral action is +0, never -0.
    return [clip(hoverTodo * 20 - 1), legsDown ? 0 : clip(-angleTodo * 20)];
  }
  if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05) return 2;
  if (angleTodo < -0.05) return 3;
  if (angleTodo > +0.05) return 1;
  return 0;
}
