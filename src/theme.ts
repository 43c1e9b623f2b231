// Ant Design theme: NHS blue (#005EB8) as the accent, NHS-style typography.
import type { ThemeConfig } from 'antd';

export const NHS_BLUE = '#005EB8';
export const NHS_DARK_BLUE = '#003087';

export const portalTheme: ThemeConfig = {
  token: {
    colorPrimary: NHS_BLUE,
    colorInfo: NHS_BLUE,
    colorLink: NHS_BLUE,
    colorLinkHover: NHS_DARK_BLUE,
    borderRadius: 4,
    fontFamily: 'Frutiger, Arial, "Helvetica Neue", Helvetica, sans-serif',
    colorBgLayout: '#F0F4F5',
    // NHS red: 5:1 on white (antd's #ff4d4f, 3.3:1, fails WCAG AA on danger buttons and form errors).
    colorError: '#D5281B',
    // …and darker, not lighter, under the pointer (antd lightens by default).
    colorErrorHover: '#A51E14',
    colorErrorActive: '#8A1910',
    // WCAG AA (4.5:1) on the grey page background: antd's defaults for
    // descriptions, empty states and hints (0.45 black) reach only 3.3:1.
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    // Tags take their text from the palette's 7th shade; these defaults fall
    // below 4.5:1 on the tags' own pale backgrounds, so use darker shades.
    green7: '#237804',
    gold7: '#874d00',
    cyan7: '#006d75',
    orange7: '#ad4e00',
    volcano7: '#ad2102',
    lime7: '#3f6600',
  },
};
