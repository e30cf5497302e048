import type { Command } from '../command.ts';
import { bot } from './bot.ts';
import { conversations } from './conversations.ts';
import { history } from './history.ts';
import { listen } from './listen.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { register } from './register.ts';
import { safetyNumber } from './safety-number.ts';
import { send } from './send.ts';
import { users } from './users.ts';
import { whoami } from './whoami.ts';

/** Every command, in the order the usage lists them. */
export const commands: readonly Command[] = [register, login, logout, whoami, users, send, listen, history, conversations, safetyNumber, bot];
