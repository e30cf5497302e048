// as: services/delivery/src/adapters/__fixture__.ts
import { readInbox } from '../../../chat/src/app/read-inbox.ts';

export const read = readInbox;
