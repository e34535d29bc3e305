/**
 * NutUI's icon settings for the weapp build, which resolves @nutui/icons-react-taro's own settings
 * (dist/es/icons/internal.js) to this module instead (config/index.ts). NutUI draws its icons as `<i>`,
 * and Taro's weapp templates have no template for `<i>`: WeChat would show nothing in its place. A view
 * carries the same class and the same style (the icon's SVG as a CSS mask filled with the text colour).
 * The other fields are NutUI's defaults (3.0.x).
 */
export const globalConfig = {
  useSvg: true,
  classPrefix: 'nut-icon',
  tag: 'view',
  fontClassName: 'nutui-iconfont',
}
