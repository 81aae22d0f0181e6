import { describe, expect, it } from 'vitest';
import { LIGHT_STATES } from '../../common/kiosk/light';
import { EmulatedLightTower, SerialLightTower, towerCommand } from './light-tower';

describe('light towers', () => {
  it('the emulator shows what it was last set to', async () => {
    const t = new EmulatedLightTower();
    expect(t.status().state).toBe('off');
    await t.set('red');
    await t.set('red');
    expect(t.status()).toMatchObject({ state: 'red', kind: 'emulator' });
    expect(t.history.map((h) => h.state)).toEqual(['red']);
  });
  it('a serial tower sends every lamp for each state', async () => {
    const sent: number[][] = [];
    const t = new SerialLightTower({ write: async (b) => void sent.push([...b]) });
    await t.set('green');
    await t.set('flashing');
    expect(sent).toEqual([
      [0x21, 0x22, 0x14],
      [0x41, 0x22, 0x24],
    ]);
    expect(t.status()).toMatchObject({ state: 'flashing', kind: 'serial' });
    // Each state has its own command.
    expect(new Set(LIGHT_STATES.map((s) => towerCommand(s).join())).size).toBe(LIGHT_STATES.length);
  });
  it('a tower that refuses the command keeps its old state', async () => {
    const t = new SerialLightTower({ write: () => Promise.reject(new Error('port closed')) });
    await expect(t.set('red')).rejects.toThrow('port closed');
    expect(t.status().state).toBe('off');
  });
});
