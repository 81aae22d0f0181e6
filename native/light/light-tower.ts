import type { LightState, LightTowerStatus } from '../../common/kiosk/light';

/**
 * A lane light tower: one lamp showing a lane's state (common/kiosk/light.ts). A real USB or
 * serial tower implements this; `set` resolves once the tower has taken the command.
 */
export interface LightTower {
  set(state: LightState): Promise<void>;
  status(): LightTowerStatus;
}

/** Stands in for the tower: remembers what it shows (and the last changes, for a developer). */
export class EmulatedLightTower implements LightTower {
  private state: LightState = 'off';
  private changedAt = new Date().toISOString();
  readonly history: { state: LightState; at: string }[] = [];

  async set(state: LightState): Promise<void> {
    if (state === this.state) return;
    this.state = state;
    this.changedAt = new Date().toISOString();
    this.history.push({ state, at: this.changedAt });
    if (this.history.length > 100) this.history.shift();
  }

  status(): LightTowerStatus {
    return { state: this.state, kind: 'emulator', changedAt: this.changedAt };
  }
}

/** Where a serial tower's bytes go (a serial port, a USB CDC endpoint; a buffer in tests). */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * The single-byte command set common three-colour USB tower lights speak over a serial port
 * (high nibble 1 = on, 2 = off, 4 = blink; low nibble 1 = red, 2 = yellow, 4 = green): every
 * state switches all three lamps, so a tower that missed a command is right after the next.
 */
const ON = 0x10;
const OFF = 0x20;
const BLINK = 0x40;
const RED = 0x01;
const YELLOW = 0x02;
const GREEN = 0x04;

export function towerCommand(state: LightState): Uint8Array {
  const lamp = (colour: number, mode: number) => mode | colour;
  const lamps: Record<LightState, [number, number, number]> = {
    off: [OFF, OFF, OFF],
    green: [OFF, OFF, ON],
    yellow: [OFF, ON, OFF],
    red: [ON, OFF, OFF],
    flashing: [BLINK, OFF, OFF],
  };
  const [r, y, g] = lamps[state];
  return Uint8Array.of(lamp(RED, r), lamp(YELLOW, y), lamp(GREEN, g));
}

/** A serial tower over any byte sink. */
export class SerialLightTower implements LightTower {
  private state: LightState = 'off';
  private changedAt = new Date().toISOString();
  constructor(private readonly sink: ByteSink) {}

  async set(state: LightState): Promise<void> {
    await this.sink.write(towerCommand(state));
    this.state = state;
    this.changedAt = new Date().toISOString();
  }

  status(): LightTowerStatus {
    return { state: this.state, kind: 'serial', changedAt: this.changedAt };
  }
}
