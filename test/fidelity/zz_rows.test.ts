import { it } from 'vitest';
import { FIDELITY_TABLE } from './cases';
it('lists', () => {
  const c = FIDELITY_TABLE.find((x) => x.name === process.env['CASE'])!;
  c.rows.forEach((r, i) => {
    if (r.expect)
      console.log(i, JSON.stringify(r.step), '|', r.source.split(': ').slice(1).join(': '));
  });
});
