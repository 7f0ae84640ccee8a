import { parseLocalizedNumber, parseCountry, parsePhone } from '../src/core/application/parse.ts';
for (const [t, l, i] of [['1 234 567','fr',1],['1,234,567','en',1],['1.234.567','es',1],['2,5','fr',0],['2.5','en',0],['1,234','en',0],['1.234','fr',0],['1,5','en',0],['12,345.6','en',0],['12.345,6','de',0],['abc','en',0],['1,23,4','en',1],['٢٥٠٠','ar',1]] as const) console.log(t, l, parseLocalizedNumber(t, l as any, { integer: !!i }));
for (const c of ['Allemagne','Alemania','Германия','德国','ألمانيا','de','germany','Etats-Unis','États-Unis','Côte d’Ivoire','Narnia']) console.log(c, parseCountry(c));
console.log(parsePhone('+49 40 44 80 41 62'), parsePhone('040 44804162', 'DE'), parsePhone('12345'));
