// A browser project (DOM library, no Node types) using the browser-safe entries.
import { explainClient, formatExplanation, money, presetScheme, type Decimal } from 'recovery-pbr';
import { forecastIncomeFrom } from 'recovery-pbr/modelling';
import { generateClient } from 'recovery-pbr/generate';
import { renderReport } from 'recovery-pbr/report';

type IsAny<T> = 0 extends 1 & T ? true : false;

const price: Decimal = money('2400.00');
const moneyIsNotAny: IsAny<typeof price> = false;
// @ts-expect-error a Decimal is not a number
const notNumber: number = price;
const page: HTMLElement | null = document.querySelector('main');
if (page) page.textContent = `${presetScheme('national-model-2012').title}: ${price.toFixed(2)}`;

export const uses = [moneyIsNotAny, notNumber, explainClient, formatExplanation, forecastIncomeFrom, generateClient, renderReport];
