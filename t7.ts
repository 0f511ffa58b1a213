const rec = { client_id: 'C0000001', episode_id: 'E0000001-01', date: '2011-06-09', stage: 'start', days_opiates: 0, days_crack: 0, days_cocaine: 5, days_amphetamines: undefined, days_cannabis: 0, days_other_drugs: 0, days_alcohol: 21, days_injected: undefined, days_paid_work: 0, days_acquisitive_crime: 13, quality_of_life: 9, psychological_health: undefined, physical_health: 9, housing_problem: false };
const names = Object.keys(rec);
const N = 300000;
for (let rep = 0; rep < 3; rep++) {
let t = performance.now();
const lines: string[] = [];
for (let i = 0; i < N; i++) { const a: unknown[] = [1, 4294967298 + i]; for (const n of names) { const v = (rec as any)[n]; a.push(v === undefined ? null : v); } lines.push(JSON.stringify(a)); }
console.log('json enc', (performance.now() - t).toFixed(0));
t = performance.now();
let s = 0;
for (const l of lines) { const a = JSON.parse(l); const o: any = {}; for (let i = 0; i < names.length; i++) { const v = a[i + 2]; o[names[i]!] = v === null ? undefined : v; } o.row = a[1] % 4294967296; s += o.row; }
console.log('json dec', (performance.now() - t).toFixed(0));
t = performance.now();
const lines2: string[] = [];
for (let i = 0; i < N; i++) { let l = '1\t' + (4294967298 + i); for (const n of names) { const v = (rec as any)[n]; l += '\t' + (v === undefined ? '' : v === true ? 'T' : v === false ? 'F' : v); } lines2.push(l); }
console.log('tsv enc', (performance.now() - t).toFixed(0));
const types = names.map((n) => (n.startsWith('days') || n.endsWith('health') || n === 'quality_of_life') ? 'n' : n === 'housing_problem' ? 'b' : 's');
t = performance.now();
for (const l of lines2) { const a = l.split('\t'); const o: any = {}; for (let i = 0; i < names.length; i++) { const v = a[i + 2]!; const ty = types[i]; o[names[i]!] = v === '' ? undefined : ty === 'n' ? +v : ty === 'b' ? v === 'T' : v; } o.row = +a[1]! % 4294967296; s += o.row; }
console.log('tsv dec', (performance.now() - t).toFixed(0));
}
