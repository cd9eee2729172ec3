import { randomBytes, scryptSync } from 'node:crypto';
import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../src/services/password.js';

describe('password hashing', () => {
  describe('hashPassword()', () => {
    it('when a password is hashed twice, then the hashes differ (salted) and both verify', async () => {
      const first = await hashPassword('correct horse');
      const second = await hashPassword('correct horse');
      expect(first).to.match(/^scrypt\$16384\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(first).not.to.equal(second);
      expect(await verifyPassword('correct horse', first)).to.be.true;
      expect(await verifyPassword('correct horse', second)).to.be.true;
    });
  });

  describe('verifyPassword()', () => {
    it('when the hash was made with another cost, then it is checked with the cost it carries', async () => {
      const salt = randomBytes(16);
      const key = scryptSync('correct horse', salt, 64, { N: 1024, r: 8, p: 1 });
      const stored = `scrypt$1024$${salt.toString('base64')}$${key.toString('base64')}`;
      expect(await verifyPassword('correct horse', stored)).to.be.true;
      expect(await verifyPassword('wrong horse', stored)).to.be.false;
    });

    it('when the hash names another scheme, then it answers false even if the rest would match', async () => {
      const stored = await hashPassword('correct horse');
      expect(await verifyPassword('correct horse', stored.replace(/^scrypt\$/, 'scrypt2$'))).to.be.false;
    });

    it('when the stored key has another length, then it answers false rather than throwing', async () => {
      const salt = randomBytes(16);
      const key = scryptSync('correct horse', salt, 32);
      expect(await verifyPassword('correct horse', `scrypt$16384$${salt.toString('base64')}$${key.toString('base64')}`)).to.be.false;
    });

    for (const [label, stored] of [
      ['another scheme', 'bcrypt$16384$c2FsdA==$a2V5'],
      ['no cost', 'scrypt'],
      ['no salt', 'scrypt$16384'],
      ['no key', 'scrypt$16384$c2FsdA=='],
      ['nothing at all', ''],
      ['a cost that is not a number', 'scrypt$abc$c2FsdA==$a2V5'],
      ['a cost that is not a power of two', 'scrypt$3$c2FsdA==$a2V5'],
    ]) {
      it(`when the stored hash has ${label}, then it answers false rather than throwing`, async () => {
        expect(await verifyPassword('correct horse', stored as string)).to.be.false;
      });
    }
  });
});
