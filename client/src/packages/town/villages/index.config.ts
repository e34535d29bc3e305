export default definePageConfig({ navigationBarTitleText: '镇（街道）管理' })
