import { make } from '../../src/envs';
import { BlackjackEnv, is_natural, sum_hand, usable_ace } from '../../src/envs/toy_text/blackjack';
import { describeConformance } from '../helpers/conformance';
import { canonicalValue, describeSpace } from '../../src/api/spaces';
import { jsonRpcValue } from '../../src/server/framing/jsonrpc_codec';

describeConformance(make, 'Blackjack', { state: (env: BlackjackEnv) => ({ player: env.player, dealer: env.dealer }) });

/** An environment whose next reset deals these hands (the dealer's first card is face up). */
function dealt(kwargs: Record<string, unknown>, player: number[], dealer: number[]) {
  const env = make('Blackjack-v1', { kwargs });
  env.reset({ seed: 0 });
  const bj = env.unwrapped as BlackjackEnv;
  bj.player = [...player];
  bj.dealer = [...dealer];
  return env;
}

describe('Blackjack', () => {
  test('Gymnasium registers Blackjack-v1 with sab=True and natural=False', () => {
    expect(make('Blackjack-v1').spec?.kwargs).toEqual({ sab: true, natural: false });
  });

  test('observations are [player_sum, dealer_card, usable_ace] in the Tuple space', () => {
    const env = make('Blackjack-v1');
    const [obs] = env.reset({ seed: 5 });
    expect(obs).toHaveLength(3);
    expect(env.observation_space.contains(obs)).toBe(true);
    expect(jsonRpcValue(canonicalValue(env.observation_space, obs))).toEqual(obs);
  });

  test('hand arithmetic: an ace counts 11 when that does not bust', () => {
    expect([sum_hand([1, 6]), usable_ace([1, 6])]).toEqual([17, 1]);
    expect([sum_hand([1, 6, 9]), usable_ace([1, 6, 9])]).toEqual([16, 0]);
    expect(is_natural([10, 1])).toBe(true);
    expect(is_natural([10, 1, 10])).toBe(false);
  });

  test('busting loses at once; sticking lets the dealer draw to 17', () => {
    let env = dealt({}, [10, 9, 2], [10, 7]);
    const [obs, reward, terminated] = env.step(1);
    expect(terminated).toBe(true);
    expect(reward).toBe(-1);
    expect((obs as number[])[0]).toBeGreaterThan(21);
    env = dealt({}, [10, 9], [10, 6]);
    const result = env.step(0);
    expect(result[2]).toBe(true);
    expect(sum_hand((env.unwrapped as BlackjackEnv).dealer)).toBeGreaterThanOrEqual(17);
  });

  test('a natural pays 1 under sab, 1.5 with natural=True and sab=False, 1 otherwise', () => {
    expect(dealt({}, [1, 10], [10, 9]).step(0)[1]).toBe(1);
    expect(dealt({ sab: false, natural: true }, [1, 10], [10, 9]).step(0)[1]).toBe(1.5);
    expect(dealt({ sab: false, natural: false }, [1, 10], [10, 9]).step(0)[1]).toBe(1);
    expect(dealt({ sab: false, natural: true }, [1, 10], [1, 10]).step(0)[1]).toBe(0);
  });

  test('ansi render shows the dealer\'s face-up card and the player\'s hand', () => {
    const env = make('Blackjack-v1', { kwargs: { render_mode: 'ansi' } });
    env.reset({ seed: 0 });
    const bj = env.unwrapped as BlackjackEnv;
    expect(env.render()).toBe(
      `Dealer: ${bj.dealer_top_card_value_str}${bj.dealer_top_card_suit} ??\nPlayer: ${bj.player.join(' ')} (${sum_hand(bj.player)})\n`,
    );
    env.step(0);
    expect(env.render()).toMatch(new RegExp(`^Dealer: ${bj.dealer.join(' ')} \\(${sum_hand(bj.dealer)}\\)\\n`));
  });

  test('invalid actions are refused', () => {
    const env = make('Blackjack-v1');
    expect(() => env.step(0)).toThrow(expect.objectContaining({ errorName: 'reset_needed' }));
    env.reset({ seed: 0 });
    expect(() => env.step(2)).toThrow(expect.objectContaining({ errorName: 'invalid_action' }));
  });
});
