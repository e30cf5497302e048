import { z } from 'zod';
import { baseConfigShape } from '@rchat/server-kit';
import { usersConfigSchema } from '@rchat/users';
import { chatConfigSchema } from '@rchat/chat';
import { deliveryConfigSchema } from '@rchat/delivery';
import { serverConfigSchema } from '@rchat/server';

export const configSchemas = {
  server: serverConfigSchema,
  shared: z.object(baseConfigShape),
  users: usersConfigSchema,
  chat: chatConfigSchema,
  delivery: deliveryConfigSchema,
};
