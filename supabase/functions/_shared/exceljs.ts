// exceljs for edge functions: import ExcelJS from here, never from 'exceljs'
// directly, so that the umask shim runs first (see exceljs-umask.ts). The
// browser bundles (exceljs/dist/*) do not run under Deno: their Buffer
// polyfill needs Object.prototype.__proto__, which Deno disables.
import './exceljs-umask.ts';
import ExcelJS from 'exceljs';

export default ExcelJS;
export type { CellValue, Row, Worksheet } from 'exceljs';
