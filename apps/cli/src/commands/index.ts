import type { Command } from '../command.ts';
import { acceptIdentity } from './accept-identity.ts';
import { bot } from './bot.ts';
import { changePassword } from './change-password.ts';
import { conversations } from './conversations.ts';
import { deleteAccount } from './delete-account.ts';
import { devices } from './devices.ts';
import { history } from './history.ts';
import { linkDevice } from './link-device.ts';
import { link } from './link.ts';
import { listen } from './listen.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { register } from './register.ts';
import { removeDevice } from './remove-device.ts';
import { resetIdentity } from './reset-identity.ts';
import { restore } from './restore.ts';
import { safetyNumber } from './safety-number.ts';
import { send } from './send.ts';
import { setPassphrase } from './set-passphrase.ts';
import { signOutOthers } from './sign-out-others.ts';
import { users } from './users.ts';
import { whoami } from './whoami.ts';

/** Every command, in the order the usage lists them. */
export const commands: readonly Command[] = [
  register,
  login,
  logout,
  whoami,
  users,
  send,
  listen,
  history,
  conversations,
  safetyNumber,
  acceptIdentity,
  bot,
  link,
  linkDevice,
  restore,
  setPassphrase,
  devices,
  removeDevice,
  changePassword,
  signOutOthers,
  deleteAccount,
  resetIdentity,
];
