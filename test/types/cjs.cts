// A CommonJS consumer (a .cts file: imports compile to require, so the `require` types are read).
import { money, type Decimal, type PaymentResult } from 'recovery-pbr';
import { calibratePrices } from 'recovery-pbr/modelling';
import { generateClients } from 'recovery-pbr/generate';
import { readScheme } from 'recovery-pbr/node';
import { renderReport } from 'recovery-pbr/report';

type IsAny<T> = 0 extends 1 & T ? true : false;

const price: Decimal = money('10').dividedBy(3);
const moneyIsNotAny: IsAny<ReturnType<typeof money>> = false;
const totalIsNotAny: IsAny<PaymentResult['totals']['total']> = false;
// @ts-expect-error a Decimal is not a string
const notText: string = price;

export = [price, moneyIsNotAny, totalIsNotAny, notText, calibratePrices, generateClients, readScheme, renderReport];
