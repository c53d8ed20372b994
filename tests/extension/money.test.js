import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMoney, findMoney, fromMinorUnits, isValidAmount, compareAmounts } from '../../extension/lib/money.js';

test('common page formats', () => {
  assert.deepEqual(parseMoney('$1,312.50'), { amount: '1312.50', currency: 'USD' });
  assert.deepEqual(parseMoney('£12.30'), { amount: '12.30', currency: 'GBP' });
  assert.deepEqual(parseMoney('1 312,50 €'), { amount: '1312.50', currency: 'EUR' });
  assert.deepEqual(parseMoney('1\u202f312,50\u00a0€'), { amount: '1312.50', currency: 'EUR' });
  assert.deepEqual(parseMoney('1.312,50 €'), { amount: '1312.50', currency: 'EUR' });
  assert.deepEqual(parseMoney('US$ 5'), { amount: '5.00', currency: 'USD' });
  assert.deepEqual(parseMoney('USD 12.5'), { amount: '12.50', currency: 'USD' });
  assert.deepEqual(parseMoney('12.00 GBP'), { amount: '12.00', currency: 'GBP' });
  assert.deepEqual(parseMoney('$0.05'), { amount: '0.05', currency: 'USD' });
  assert.deepEqual(parseMoney('¥1,200'), { amount: '1200', currency: 'JPY' });
  assert.deepEqual(parseMoney('KWD 1.250'), { amount: '1.250', currency: 'KWD' });
  assert.deepEqual(parseMoney('$1,000'), { amount: '1000.00', currency: 'USD' });
  assert.deepEqual(parseMoney('$12.50', { dollarCurrency: 'CAD' }), { amount: '12.50', currency: 'CAD' });
});

test('lookalikes and ambiguity are refused, not guessed', () => {
  assert.equal(parseMoney('\u0405$5.00'), null, 'Cyrillic DZE before $');
  assert.equal(parseMoney('U\u0405$5.00'), null, 'Cyrillic S in US$');
  assert.deepEqual(parseMoney('S$5.00'), { amount: '5.00', currency: 'SGD' }, 'S$ is not US dollars');
  assert.deepEqual(parseMoney('R$5,00'), { amount: '5.00', currency: 'BRL' });
  assert.equal(parseMoney('$１２.００'), null, 'full-width digits');
  assert.equal(parseMoney('$١٢'), null, 'Arabic-Indic digits');
  assert.equal(parseMoney('-$5.00'), null);
  assert.equal(parseMoney('($5.00)'), null);
  assert.equal(parseMoney('$1.2.3'), null);
  assert.equal(parseMoney('$1,2345'), null);
  assert.equal(parseMoney('$12.345'), null, 'three decimals for USD');
  assert.equal(parseMoney('12.50'), null, 'no currency, no default');
  assert.deepEqual(parseMoney('12.50', { defaultCurrency: 'USD' }), { amount: '12.50', currency: 'USD' });
  assert.equal(parseMoney('XYZ 12'), null);
  assert.equal(parseMoney('$99999999999.00'), null, 'over the 10^10 cap');
  assert.equal(parseMoney('$'), null);
  assert.equal(parseMoney(''), null);
});

test('findMoney locates an amount inside text and skips glued lookalikes', () => {
  assert.deepEqual(findMoney('Withdraw $1,312.50 now'), { amount: '1312.50', currency: 'USD' });
  assert.deepEqual(findMoney('Balance: £12.30 (updated)'), { amount: '12.30', currency: 'GBP' });
  assert.equal(findMoney('Balance \u0405$5.00'), null);
  assert.deepEqual(findMoney('Withdraw 1 050,00 €'), { amount: '1050.00', currency: 'EUR' });
  assert.equal(findMoney('2026 was a year'), null);
});

test('integer cents become decimal strings without floating point', () => {
  assert.equal(fromMinorUnits(1312), '13.12');
  assert.equal(fromMinorUnits(131250), '1312.50');
  assert.equal(fromMinorUnits(5), '0.05');
  assert.equal(fromMinorUnits(0), '0.00');
  assert.equal(fromMinorUnits('007'), '0.07');
  assert.equal(fromMinorUnits(1200, 'JPY'), '1200');
  assert.equal(fromMinorUnits(1250, 'KWD'), '1.250');
  assert.equal(fromMinorUnits(1.5), null);
  assert.equal(fromMinorUnits(-1), null);
  assert.equal(fromMinorUnits(null), null);
  assert.equal(fromMinorUnits('12.5'), null);
  assert.equal(fromMinorUnits(2 ** 60), null);
});

test('amount validity and comparison', () => {
  assert.ok(isValidAmount('1312.50', 'USD'));
  assert.ok(!isValidAmount('1.500', 'USD'));
  assert.ok(!isValidAmount('01.50', 'USD'));
  assert.ok(!isValidAmount('1.5', 'JPY'));
  assert.equal(compareAmounts('10.00', '9.99'), 1);
  assert.equal(compareAmounts('1.5', '1.50'), 0);
  assert.equal(compareAmounts('0.01', '0.1'), -1);
});
