/** Frequent passwords of at least 8 characters (from public breach frequency lists), lowercased. */
export const commonPasswords: ReadonlySet<string> = new Set([
  '123456789', '1234567890', '12345678', 'password', 'password1', 'password12', 'password123', 'password1234',
  'qwertyuiop', 'qwerty123', 'qwerty1234', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'zaq12wsx', 'iloveyou1',
  'sunshine1', 'princess1', 'football1', 'baseball1', 'welcome1', 'welcome123', 'letmein123', 'admin1234',
  'administrator', 'passw0rd', 'p@ssw0rd', 'p@ssword1', 'trustno1!', 'abc123456', 'abcd1234', 'abcdefgh',
  'abcdefghij', 'qwertyui', 'asdfghjkl', 'zxcvbnm123', 'starwars1', 'dragon123', 'monkey123', 'master123',
  'michael1', 'superman1', 'batman123', 'shadow123', 'charlie1', 'computer1', 'whatever1', 'changeme',
  'changeme123', 'secret123', 'internet1', 'samsung123', 'liverpool1', 'chelsea123', 'jennifer1', 'michelle1',
  '11111111', '1111111111', '00000000', '0000000000', '12341234', '123123123', '987654321', '0987654321',
  '123qweasd', 'qweasdzxc', 'q1w2e3r4t5', 'passwordpassword', 'iloveyou123', 'loveyou123', 'summer2024',
  'winter2024', 'spring2024', 'autumn2024', 'summer2025', 'winter2025', 'summer2026', 'winter2026',
]);
