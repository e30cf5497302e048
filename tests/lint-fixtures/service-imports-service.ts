// as: services/chat/src/__fixture__.ts
import { createUsersService } from '@rchat/users';

export const users = createUsersService;
